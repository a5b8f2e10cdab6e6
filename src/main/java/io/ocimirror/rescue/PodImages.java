package io.ocimirror.rescue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.ImageVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Volume;
import io.ocimirror.admission.PodHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The images a Pod pulls, each with what the kubelet reports about it. Reads any Pod, however incomplete: a missing
 * list, name, image or status is simply absent. Statuses are matched to containers by name, never by position.
 */
final class PodImages {

    /** The waiting reasons of a container whose image the kubelet cannot pull (kubernetes/pkg/kubelet/images). */
    static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff");

    /** The key image volumes are recorded under in {@code oci-mirror.io/original-images}. */

    private PodImages() {
    }

    /** Where an image sits in a Pod spec, and whether the API server lets it change on a running Pod. */
    enum Kind {
        INIT_CONTAINER("initContainers", true),
        CONTAINER("containers", true),
        /** The API server refuses changes to existing ephemeral containers. */
        EPHEMERAL_CONTAINER("ephemeralContainers", false),
        /** Pod volumes are immutable once created. */
        IMAGE_VOLUME("volumes", false);

        final String specList;
        final boolean changeable;

        Kind(String specList, boolean changeable) {
            this.specList = specList;
            this.changeable = changeable;
        }
    }

    /**
     * One pulled image.
     *
     * @param kind   where it sits
     * @param name   the container's or volume's name
     * @param image  the image the spec names now
     * @param status what the kubelet reports: the container's own status; for an image volume, the status of a
     *               container that waits because of it (its pull failure message names the volume's image)
     */
    record PulledImage(Kind kind, String name, String image, Optional<ContainerStatus> status) {

        /** The key of its entry in {@code oci-mirror.io/original-images} and {@code oci-mirror.io/rescued}. */
        String key() {
            return kind == Kind.IMAGE_VOLUME ? PodHandler.VOLUME_KEY_PREFIX + name : name;
        }

        /** The kubelet's waiting reason, if it reports one. */
        Optional<String> waitingReason() {
            return waiting().map(ContainerStateWaiting::getReason);
        }

        /** The kubelet's waiting message, if it reports one. */
        Optional<String> waitingMessage() {
            return waiting().map(ContainerStateWaiting::getMessage);
        }

        private Optional<ContainerStateWaiting> waiting() {
            return status.map(ContainerStatus::getState).map(ContainerState::getWaiting);
        }
    }

    /** Every image of the Pod that has a name and an image, in the order of the spec. */
    static List<PulledImage> of(Pod pod) {
        Optional<PodSpec> spec = Optional.ofNullable(pod.getSpec());
        Optional<PodStatus> status = Optional.ofNullable(pod.getStatus());
        List<ContainerStatus> initStatuses = status.map(PodStatus::getInitContainerStatuses).orElse(List.of());
        List<ContainerStatus> statuses = status.map(PodStatus::getContainerStatuses).orElse(List.of());
        List<ContainerStatus> ephemeralStatuses =
                status.map(PodStatus::getEphemeralContainerStatuses).orElse(List.of());
        List<String> volumeImages = spec.map(PodSpec::getVolumes).orElse(List.of()).stream()
                .filter(Objects::nonNull).map(PodImages::volumeImage).filter(Objects::nonNull).toList();
        List<PulledImage> images = new ArrayList<>();
        spec.map(PodSpec::getInitContainers).orElse(List.of()).stream().filter(Objects::nonNull).forEach(c ->
                addContainer(images, Kind.INIT_CONTAINER, c.getName(), c.getImage(), initStatuses, volumeImages));
        spec.map(PodSpec::getContainers).orElse(List.of()).stream().filter(Objects::nonNull).forEach(c ->
                addContainer(images, Kind.CONTAINER, c.getName(), c.getImage(), statuses, volumeImages));
        spec.map(PodSpec::getEphemeralContainers).orElse(List.of()).stream().filter(Objects::nonNull).forEach(c ->
                addContainer(images, Kind.EPHEMERAL_CONTAINER, c.getName(), c.getImage(), ephemeralStatuses,
                        volumeImages));
        List<ContainerStatus> all = Stream.of(initStatuses, statuses).flatMap(List::stream).toList();
        spec.map(PodSpec::getVolumes).orElse(List.of()).stream().filter(Objects::nonNull).forEach(v ->
                add(images, Kind.IMAGE_VOLUME, v.getName(), volumeImage(v), failingOn(all, volumeImage(v))));
        return images;
    }

    /** The index of a container or volume of that name in its spec list, if it is there. */
    static Optional<Integer> indexOf(Pod pod, Kind kind, String name) {
        Optional<PodSpec> spec = Optional.ofNullable(pod.getSpec());
        List<String> names = switch (kind) {
            case INIT_CONTAINER -> names(spec.map(PodSpec::getInitContainers), Container::getName);
            case CONTAINER -> names(spec.map(PodSpec::getContainers), Container::getName);
            case EPHEMERAL_CONTAINER -> names(spec.map(PodSpec::getEphemeralContainers), EphemeralContainer::getName);
            case IMAGE_VOLUME -> names(spec.map(PodSpec::getVolumes), Volume::getName);
        };
        int index = names.indexOf(name);
        return index < 0 ? Optional.empty() : Optional.of(index);
    }

    private static <T> List<String> names(Optional<List<T>> list, Function<T, String> name) {
        return list.orElse(List.of()).stream().map(item -> item == null ? null : name.apply(item)).toList();
    }

    private static String volumeImage(Volume volume) {
        return Optional.ofNullable(volume.getImage()).map(ImageVolumeSource::getReference).orElse(null);
    }

    /**
     * Adds a container with its status, matched by name. A status whose waiting message names an image volume of
     * the Pod and not the container's own image is the volume's failure, not the container's: it is left out.
     */
    private static void addContainer(List<PulledImage> images, Kind kind, String name, String image,
            List<ContainerStatus> statuses, List<String> volumeImages) {
        Optional<ContainerStatus> status = byName(statuses, name).filter(s -> {
            String message = Optional.ofNullable(s.getState()).map(ContainerState::getWaiting)
                    .map(ContainerStateWaiting::getMessage).orElse(null);
            return message == null || (image != null && message.contains(image))
                    || volumeImages.stream().noneMatch(message::contains);
        });
        add(images, kind, name, image, status);
    }

    private static void add(List<PulledImage> images, Kind kind, String name, String image,
            Optional<ContainerStatus> status) {
        if (name != null && image != null) {
            images.add(new PulledImage(kind, name, image, status));
        }
    }

    private static Optional<ContainerStatus> byName(List<ContainerStatus> statuses, String name) {
        return statuses.stream().filter(Objects::nonNull).filter(s -> name != null && name.equals(s.getName()))
                .findFirst();
    }

    /**
     * The status of a container that waits because an image volume cannot be pulled. The kubelet reports such a
     * failure on the Pod's containers, with the volume's image in the message; there is no status of the volume's
     * own.
     */
    private static Optional<ContainerStatus> failingOn(List<ContainerStatus> statuses, String reference) {
        if (reference == null || reference.isEmpty()) {
            return Optional.empty();
        }
        return statuses.stream().filter(Objects::nonNull).filter(s -> {
            ContainerStateWaiting waiting = Optional.ofNullable(s.getState()).map(ContainerState::getWaiting)
                    .orElse(null);
            return waiting != null && PULL_FAILURES.contains(waiting.getReason()) && waiting.getMessage() != null
                    && waiting.getMessage().contains(reference);
        }).findFirst();
    }
}
