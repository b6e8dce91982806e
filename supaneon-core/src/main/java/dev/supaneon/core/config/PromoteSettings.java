package dev.supaneon.core.config;

import java.nio.file.Path;

/** What {@code supaneon:promote} needs: the Neon project and the standby's name. */
public record PromoteSettings(NeonSettings neon, StandbySettings standby, Path reportDirectory) {}
