/**
 * supaneon's core: one library behind the Maven goals, the JUnit extension and the Lambda handler.
 *
 * <p>Packages depend downwards only, never in a cycle ({@code ArchitectureTest} enforces it):
 *
 * <ol>
 *   <li>{@code dev.supaneon.core} itself: {@link dev.supaneon.core.SupaneonException} and {@link
 *       dev.supaneon.core.DaemonThreads}.
 *   <li>{@code config} (validated settings) and {@code progress} (what a run tells its listener).
 *   <li>{@code run}: what every run is given besides its settings (listener, clock, Neon options,
 *       environment).
 *   <li>{@code neon} (the API client), {@code postgres} (connections, client tools, fingerprints,
 *       the dump/restore pipeline) and {@code report} (immutable results and their summaries).
 *   <li>{@code branch} (the one branch lifecycle), {@code manifest}, {@code supabase} (scope and
 *       target preparation) and {@code retention}.
 *   <li>{@code standby}: the standby's refresh after a backup, and its promotion; then {@code
 *       status}, which reads backups and the standby.
 *   <li>{@code backup} and {@code restoretest}: the runs, each in named phases.
 * </ol>
 *
 * <p>Front ends use the public API only: this package, {@code config}, {@code progress}, {@code
 * report}, {@code branch}, {@code standby}, {@code status}, {@code backup} and {@code restoretest}.
 * The others are internal.
 */
package dev.supaneon.core;
