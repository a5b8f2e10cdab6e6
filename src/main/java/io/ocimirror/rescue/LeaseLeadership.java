package io.ocimirror.rescue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Leadership through a {@code coordination.k8s.io} Lease with fabric8's {@code LeaderElector} (client-go's
 * algorithm). fabric8's elector ends once it loses the Lease; this one then runs it again after the retry period, so
 * a replica that lost the Lease becomes a candidate again.
 */
final class LeaseLeadership implements Leadership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseLeadership.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final RescueSettings settings;
    private final Runnable onStartLeading;
    private volatile boolean leading;
    private volatile String holder;
    private volatile boolean closed;
    private CompletableFuture<?> election;

    /**
     * @param namespace      where the Lease lives (the webhook's namespace)
     * @param identity       this replica's name in the Lease
     * @param settings       the Lease's name and timings
     * @param onStartLeading run when this replica takes the Lease, on the elector's thread (keep it short)
     */
    LeaseLeadership(KubernetesClient client, String namespace, String identity, RescueSettings settings,
            Runnable onStartLeading) {
        this.client = client;
        this.namespace = namespace;
        this.leaseName = settings.leaseName();
        this.identity = identity;
        this.settings = settings;
        this.onStartLeading = onStartLeading;
    }

    synchronized void start() {
        if (closed) {
            return;
        }
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.leaseRenewDeadline())
                .withRetryPeriod(settings.leaseRetryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
                .build()).build().start();
        election.whenComplete((result, error) -> ended(error));
    }

    @Override
    public boolean leading() {
        return leading;
    }

    @Override
    public Optional<String> holder() {
        return Optional.ofNullable(holder);
    }

    String identity() {
        return identity;
    }

    private void started() {
        leading = true;
        LOG.infof("This replica (%s) holds the Lease %s/%s: it rescues Pods", identity, namespace, leaseName);
        onStartLeading.run();
    }

    private void stopped() {
        leading = false;
        LOG.infof("This replica (%s) no longer holds the Lease %s/%s", identity, namespace, leaseName);
    }

    private void newLeader(String newHolder) {
        holder = newHolder;
    }

    /** The elector ended: it lost the Lease, or could not reach the API server. Stand again, unless closing. */
    private void ended(Throwable error) {
        leading = false;
        if (closed) {
            return;
        }
        if (error != null) {
            LOG.debugf("Lease election ended: %s", error.toString());
        }
        CompletableFuture.delayedExecutor(settings.leaseRetryPeriod().toMillis(),
                TimeUnit.MILLISECONDS).execute(this::start);
    }

    /** Stops standing and gives the Lease up, if held, so another replica takes over without waiting. */
    @Override
    public synchronized void close() {
        closed = true;
        leading = false;
        if (election != null) {
            election.cancel(true);
        }
    }
}
