/**
 * Durations, byte counts and strings from outside written as people read them, for logs and messages. It imports
 * only the JDK.
 */
package io.ocimirror.text;
