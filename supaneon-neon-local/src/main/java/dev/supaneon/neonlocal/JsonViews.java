package dev.supaneon.neonlocal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.neonlocal.controlplane.BranchRecord;
import dev.supaneon.neonlocal.controlplane.ComputeUsage;
import dev.supaneon.neonlocal.controlplane.DatabaseRecord;
import dev.supaneon.neonlocal.controlplane.EndpointRecord;
import dev.supaneon.neonlocal.controlplane.OperationRecord;
import dev.supaneon.neonlocal.controlplane.ProjectRecord;
import dev.supaneon.neonlocal.controlplane.RoleRecord;
import dev.supaneon.neonlocal.controlplane.StorageModel;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Control-plane records rendered in the JSON shapes of Neon's OpenAPI spec. */
final class JsonViews {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonViews() {}

  static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  static ObjectNode project(
      ProjectRecord p,
      String proxyHost,
      long storageLimitBytes,
      long syntheticStorageBytes,
      ComputeUsage.Usage usage) {
    ObjectNode node = NODES.objectNode();
    Instant periodStart = p.createdAt().truncatedTo(ChronoUnit.DAYS);
    node.put("id", p.id())
        .put("platform_id", "local")
        .put("region_id", p.regionId())
        .put("name", p.name())
        .put("provisioner", "k8s-neonvm")
        .put("pg_version", p.pgVersion())
        .put("proxy_host", proxyHost)
        .put("branch_logical_size_limit", storageLimitBytes / (1024 * 1024))
        .put("branch_logical_size_limit_bytes", storageLimitBytes)
        .put("synthetic_storage_size", syntheticStorageBytes)
        .put("store_passwords", true)
        .put("active_time_seconds", usage.activeTimeSeconds())
        .put("compute_time_seconds", usage.computeTimeSeconds())
        .put("written_data_bytes", 0)
        .put("data_transfer_bytes", usage.dataTransferBytes())
        .put("data_storage_bytes_hour", 0)
        .put("cpu_used_sec", usage.computeTimeSeconds())
        .put("creation_source", "console")
        .put("history_retention_seconds", 0)
        .put("created_at", time(p.createdAt()))
        .put("updated_at", time(p.updatedAt()))
        .put("consumption_period_start", time(periodStart))
        .put("consumption_period_end", time(periodStart.plus(30, ChronoUnit.DAYS)))
        .put("owner_id", "neon-local");
    node.putObject("owner")
        .put("email", "neon-local@localhost")
        .put("name", "neon-local")
        .put("branches_limit", p.branchLimit())
        .put("subscription_type", "free_v3");
    node.putObject("settings").putObject("quota").put("logical_size_bytes", storageLimitBytes);
    return node;
  }

  static ObjectNode branch(
      BranchRecord b, Optional<StorageModel.BranchStorage> storage, ComputeUsage.Usage usage) {
    ObjectNode node = NODES.objectNode();
    node.put("id", b.id()).put("project_id", b.projectId());
    if (b.parentId() != null) {
      node.put("parent_id", b.parentId());
    }
    if (b.parentLsn() != null) {
      node.put("parent_lsn", b.parentLsn());
    }
    if (b.parentTimestamp() != null) {
      node.put("parent_timestamp", time(b.parentTimestamp()));
    }
    node.put("name", b.name()).put("current_state", b.currentState());
    if (b.pendingState() != null) {
      node.put("pending_state", b.pendingState());
    }
    node.put("state_changed_at", time(b.stateChangedAt()));
    storage.ifPresent(figures -> node.put("logical_size", figures.logicalBytes()));
    node.put("creation_source", b.creationSource())
        .put("primary", b.isDefault())
        .put("default", b.isDefault())
        .put("protected", b.isProtected())
        .put("cpu_used_sec", usage.computeTimeSeconds())
        .put("compute_time_seconds", usage.computeTimeSeconds())
        .put("active_time_seconds", usage.activeTimeSeconds())
        .put("written_data_bytes", storage.map(StorageModel.BranchStorage::writtenBytes).orElse(0L))
        .put("data_transfer_bytes", usage.dataTransferBytes())
        .put("created_at", time(b.createdAt()))
        .put("updated_at", time(b.updatedAt()));
    if (b.expiresAt() != null) {
      node.put("expires_at", time(b.expiresAt()));
      node.put(
          "ttl_interval_seconds",
          Math.max(0, b.expiresAt().getEpochSecond() - b.createdAt().getEpochSecond()));
    }
    node.put("init_source", b.initSource());
    if (b.restoredFrom() != null) {
      node.put("restored_from", b.restoredFrom());
    }
    return node;
  }

  static ArrayNode branches(
      List<BranchRecord> branches,
      Map<String, StorageModel.BranchStorage> storage,
      Map<String, ComputeUsage.Usage> usage) {
    ArrayNode array = NODES.arrayNode();
    branches.forEach(
        b ->
            array.add(
                branch(
                    b,
                    Optional.ofNullable(storage.get(b.id())),
                    usage.getOrDefault(b.id(), ComputeUsage.Usage.NONE))));
    return array;
  }

  static ObjectNode annotation(BranchRecord b) {
    ObjectNode node = NODES.objectNode();
    node.putObject("object").put("type", "console/branch").put("id", b.id());
    ObjectNode value = node.putObject("value");
    for (Map.Entry<String, String> entry : b.annotation().entrySet()) {
      value.put(entry.getKey(), entry.getValue());
    }
    if (b.annotationCreatedAt() != null) {
      node.put("created_at", time(b.annotationCreatedAt()));
    }
    if (b.annotationUpdatedAt() != null) {
      node.put("updated_at", time(b.annotationUpdatedAt()));
    }
    return node;
  }

  /** An endpoint; its host carries the port, as clients put {@code host} straight into URLs. */
  static ObjectNode endpoint(EndpointRecord e, String host) {
    ObjectNode node = NODES.objectNode();
    node.put("host", host + ":" + e.port())
        .put("id", e.id())
        .put("project_id", e.projectId())
        .put("branch_id", e.branchId())
        .put("autoscaling_limit_min_cu", e.minCu())
        .put("autoscaling_limit_max_cu", e.maxCu())
        .put("region_id", "local")
        .put("type", e.type())
        .put("current_state", e.currentState());
    if (e.pendingState() != null) {
      node.put("pending_state", e.pendingState());
    }
    node.putObject("settings");
    node.put("pooler_enabled", false)
        .put("pooler_mode", "transaction")
        .put("disabled", false)
        .put("passwordless_access", false)
        .put("creation_source", "console")
        .put("created_at", time(e.createdAt()))
        .put("updated_at", time(e.updatedAt()))
        .put("proxy_host", host)
        .put("suspend_timeout_seconds", e.suspendTimeoutSeconds())
        .put("provisioner", "k8s-neonvm");
    if (e.startedAt() != null) {
      node.put("started_at", time(e.startedAt()));
    }
    if (e.suspendedAt() != null) {
      node.put("suspended_at", time(e.suspendedAt()));
    }
    if (e.lastActive() != null) {
      node.put("last_active", time(e.lastActive()));
    }
    return node;
  }

  static ArrayNode endpoints(List<EndpointRecord> endpoints, String host) {
    ArrayNode array = NODES.arrayNode();
    endpoints.forEach(e -> array.add(endpoint(e, host)));
    return array;
  }

  static ObjectNode operation(OperationRecord o) {
    ObjectNode node = NODES.objectNode();
    node.put("id", o.id().toString()).put("project_id", o.projectId());
    if (o.branchId() != null) {
      node.put("branch_id", o.branchId());
    }
    if (o.endpointId() != null) {
      node.put("endpoint_id", o.endpointId());
    }
    node.put("action", o.action()).put("status", o.status());
    if (o.error() != null) {
      node.put("error", o.error());
    }
    node.put("failures_count", o.failuresCount())
        .put("created_at", time(o.createdAt()))
        .put("updated_at", time(o.updatedAt()))
        .put("total_duration_ms", o.totalDurationMs());
    return node;
  }

  static ArrayNode operations(List<OperationRecord> operations) {
    ArrayNode array = NODES.arrayNode();
    operations.forEach(o -> array.add(operation(o)));
    return array;
  }

  static ObjectNode role(RoleRecord r, boolean withPassword) {
    ObjectNode node = NODES.objectNode();
    node.put("branch_id", r.branchId()).put("name", r.name());
    if (withPassword && r.password() != null) {
      node.put("password", r.password());
    }
    node.put("protected", r.isProtected())
        .put("created_at", time(r.createdAt()))
        .put("updated_at", time(r.updatedAt()));
    return node;
  }

  static ArrayNode roles(List<RoleRecord> roles, boolean withPasswords) {
    ArrayNode array = NODES.arrayNode();
    roles.forEach(r -> array.add(role(r, withPasswords)));
    return array;
  }

  static ObjectNode database(DatabaseRecord d) {
    return NODES
        .objectNode()
        .put("id", d.id())
        .put("branch_id", d.branchId())
        .put("name", d.name())
        .put("owner_name", d.ownerName())
        .put("created_at", time(d.createdAt()))
        .put("updated_at", time(d.updatedAt()));
  }

  static ArrayNode databases(List<DatabaseRecord> databases) {
    ArrayNode array = NODES.arrayNode();
    databases.forEach(d -> array.add(database(d)));
    return array;
  }
}
