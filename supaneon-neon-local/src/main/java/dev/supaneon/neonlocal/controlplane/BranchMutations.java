package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.neonlocal.controlplane.Requests.BranchChange;
import dev.supaneon.neonlocal.controlplane.Requests.CreateBranch;
import dev.supaneon.neonlocal.controlplane.Requests.CreatedBranch;
import dev.supaneon.neonlocal.controlplane.Requests.EndpointSpec;
import dev.supaneon.neonlocal.controlplane.Requests.RestoreBranch;
import dev.supaneon.neonlocal.controlplane.Requests.UpdateBranch;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The branch changes of the control plane: create, update, delete, set as default and restore, each
 * validated as Neon validates it and recorded with the operations that carry it out.
 */
public final class BranchMutations extends ControlPlanePart {

  BranchMutations(ControlPlane plane) {
    super(plane);
  }

  public CreatedBranch createBranch(String requestedProjectId, CreateBranch request)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    if (request.parentLsn().isPresent() || request.parentTimestamp().isPresent()) {
      throw NeonApiError.badRequest(
          "neon-local keeps no history: branches can only be created from the parent's current"
              + " state (omit parent_lsn and parent_timestamp)");
    }
    if (request.initSource().isPresent() && !request.initSource().get().equals("parent-data")) {
      throw NeonApiError.badRequest("neon-local supports only init_source parent-data");
    }
    long readWrite =
        request.endpoints().stream().filter(e -> e.type().equals("read_write")).count();
    if (readWrite > 1) {
      throw NeonApiError.badRequest("a branch supports only one read_write endpoint");
    }
    for (EndpointSpec endpoint : request.endpoints()) {
      requireEndpointType(endpoint);
    }
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord parent =
          request.parentId().filter(id -> !id.isEmpty()).isPresent()
              ? plane.branch(request.parentId().get())
              : plane.defaultBranch();
      if (parent.expiresAt() != null) {
        throw NeonApiError.badRequest(
            "cannot create a branch from branch "
                + parent.id()
                + " because it has an expiration time; remove it first");
      }
      if (!parent.currentState().equals("ready")) {
        throw NeonApiError.badRequest("parent branch " + parent.id() + " is not ready");
      }
      Instant now = plane.now();
      if (request.expiresAt().isPresent()) {
        plane.validateExpiry(request.expiresAt().get(), now);
      }
      ProjectRecord project = store.findProject(projectId).orElseThrow();
      int existing = store.listBranches(projectId).size();
      if (existing >= project.branchLimit()) {
        throw NeonApiError.unprocessable(
            "BRANCHES_LIMIT_EXCEEDED",
            "number of branches in the project exceeds the limit of " + project.branchLimit());
      }
      String branchId = ids.branch();
      String name = request.name().filter(n -> !n.isBlank()).orElse(branchId);
      if (name.length() > 256) {
        throw NeonApiError.badRequest("branch name must be at most 256 characters");
      }
      if (store.findBranchByName(projectId, name).isPresent()) {
        throw NeonApiError.conflict("branch with name " + name + " already exists");
      }
      BranchRecord branch =
          new BranchRecord(
              branchId,
              projectId,
              parent.id(),
              name,
              "init",
              "ready",
              now,
              now,
              now,
              request.expiresAt().orElse(null),
              request.isProtected(),
              false,
              cluster.currentWalLsn(),
              null,
              "parent-data",
              "console",
              request.annotation(),
              request.annotation().isEmpty() ? null : now,
              request.annotation().isEmpty() ? null : now,
              null);
      store.insertBranch(branch);
      store.copyRoles(parent.id(), branchId, now);
      ArrayNode copies = JsonNodeFactory.instance.arrayNode();
      List<DatabaseRecord> databases = new ArrayList<>();
      for (DatabaseRecord source : store.listDatabases(parent.id())) {
        long id = store.nextDatabaseId();
        DatabaseRecord copy =
            new DatabaseRecord(
                id,
                branchId,
                source.name(),
                source.ownerName(),
                ControlPlane.physicalName(id, source.name()),
                now,
                now);
        store.insertDatabase(copy);
        databases.add(copy);
        copies
            .addObject()
            .put("source", source.physicalName())
            .put("target", copy.physicalName())
            .put("owner", copy.ownerName());
      }
      List<OperationRecord> operations = new ArrayList<>();
      ObjectNode payload =
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "create_branch")
              .put("branch_id", branchId);
      payload.set("copies", copies);
      operations.add(plane.queue(branchId, null, "create_timeline", payload, now));
      List<EndpointRecord> endpoints = new ArrayList<>();
      for (EndpointSpec spec : request.endpoints()) {
        Requests.EndpointChange started = startNewEndpoint(branchId, spec, now);
        endpoints.add(started.endpoint());
        operations.addAll(started.operations());
      }
      plane.operationsQueued();
      return new CreatedBranch(
          branch, endpoints, operations, store.listRoles(branchId), List.copyOf(databases));
    }
  }

  public BranchChange updateBranch(String requestedProjectId, String branchId, UpdateBranch request)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord branch = plane.branch(branchId);
      Instant now = plane.now();
      String name = branch.name();
      if (request.name().isPresent() && !request.name().get().equals(name)) {
        name = request.name().get();
        if (name.isBlank() || name.length() > 256) {
          throw NeonApiError.badRequest("branch name must be 1 to 256 characters");
        }
        if (store.findBranchByName(projectId, name).isPresent()) {
          throw NeonApiError.conflict("branch with name " + name + " already exists");
        }
      }
      Instant expiresAt = branch.expiresAt();
      if (request.expiresAt().isPresent()) {
        Optional<Instant> wanted = request.expiresAt().get();
        if (wanted.isPresent()) {
          if (branch.isDefault()) {
            throw NeonApiError.badRequest("cannot set an expiration time on the default branch");
          }
          if (plane.hasChildren(branchId)) {
            throw NeonApiError.badRequest(
                "cannot set an expiration time on a branch that has child branches");
          }
          plane.validateExpiry(wanted.get(), now);
        }
        expiresAt = wanted.orElse(null);
      }
      boolean isProtected = request.isProtected().orElse(branch.isProtected());
      BranchRecord updated = branch.patched(name, expiresAt, isProtected, now);
      store.updateBranch(updated);
      return new BranchChange(updated, List.of());
    }
  }

  /** Deletes a branch; empty when it does not exist (answered 204). */
  public Optional<BranchChange> deleteBranch(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      Optional<BranchRecord> found = store.findBranch(projectId, branchId);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      plane.requireUnlocked();
      BranchRecord branch = found.get();
      if (branch.isDefault()) {
        throw NeonApiError.unprocessable(
            "BRANCH_IS_DEFAULT", "cannot delete the default branch " + branch.id());
      }
      if (plane.hasChildren(branchId)) {
        throw NeonApiError.unprocessable(
            "BRANCH_HAS_CHILDREN",
            "cannot delete branch " + branch.id() + " because it has child branches");
      }
      if (branch.isProtected()) {
        throw NeonApiError.unprocessable(
            "BRANCH_PROTECTED", "cannot delete protected branch " + branch.id());
      }
      Instant now = plane.now();
      List<OperationRecord> operations = new ArrayList<>();
      for (EndpointRecord endpoint : endpointStore.listBranchEndpoints(branchId)) {
        if (endpoint.currentState().equals("active")) {
          operations.add(
              plane.queue(
                  branchId,
                  endpoint.id(),
                  "suspend_compute",
                  JsonNodeFactory.instance.objectNode().put("endpoint_id", endpoint.id()),
                  now));
        }
      }
      operations.add(
          plane.queue(
              branchId,
              null,
              "delete_timeline",
              JsonNodeFactory.instance.objectNode().put("branch_id", branchId),
              now));
      plane.operationsQueued();
      return Optional.of(new BranchChange(branch, operations));
    }
  }

  public BranchChange setDefault(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord branch = plane.branch(branchId);
      if (branch.expiresAt() != null) {
        throw NeonApiError.badRequest(
            "cannot make branch " + branchId + " the default: it has an expiration time");
      }
      Instant now = plane.now();
      for (BranchRecord other : store.listBranches(projectId)) {
        if (other.isDefault() && !other.id().equals(branchId)) {
          store.updateBranch(other.asDefault(false, now));
        }
      }
      BranchRecord updated = branch.asDefault(true, now);
      store.updateBranch(updated);
      return new BranchChange(updated, List.of());
    }
  }

  public BranchChange restoreBranch(
      String requestedProjectId, String branchId, RestoreBranch request)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    if (request.sourceLsn().isPresent() || request.sourceTimestamp().isPresent()) {
      throw NeonApiError.badRequest(
          "neon-local keeps no history: restore from another branch's current state"
              + " (omit source_lsn and source_timestamp)");
    }
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord target = plane.branch(branchId);
      BranchRecord source = plane.branch(request.sourceBranchId());
      if (source.id().equals(target.id())) {
        throw NeonApiError.badRequest("a branch cannot be restored from its own current state");
      }
      List<BranchRecord> children =
          store.listBranches(projectId).stream()
              .filter(b -> target.id().equals(b.parentId()))
              .toList();
      if (!children.isEmpty() && request.preserveUnderName().isEmpty()) {
        throw NeonApiError.badRequest(
            "branch "
                + target.id()
                + " has children: preserve_under_name is required, and the children move to the"
                + " preserved branch");
      }
      Instant now = plane.now();
      ArrayNode drop = JsonNodeFactory.instance.arrayNode();
      // Without preservation the databases keep their physical names, so connection strings
      // stay as they were, as a restored Neon branch keeps its endpoints.
      Map<String, String> keptPhysicalNames = new HashMap<>();
      if (request.preserveUnderName().isPresent()) {
        String preserveName = request.preserveUnderName().get();
        if (store.findBranchByName(projectId, preserveName).isPresent()) {
          throw NeonApiError.conflict("branch with name " + preserveName + " already exists");
        }
        ProjectRecord project = store.findProject(projectId).orElseThrow();
        if (store.listBranches(projectId).size() >= project.branchLimit()) {
          throw NeonApiError.unprocessable(
              "BRANCHES_LIMIT_EXCEEDED",
              "number of branches in the project exceeds the limit of " + project.branchLimit());
        }
        String preservedId = ids.branch();
        store.insertBranch(
            BranchRecord.ready(
                preservedId,
                projectId,
                target.parentId(),
                preserveName,
                false,
                target.parentLsn(),
                now));
        store.copyRoles(target.id(), preservedId, now);
        store.moveDatabases(target.id(), preservedId);
        for (BranchRecord child : children) {
          store.updateBranch(child.withParent(preservedId, now));
        }
      } else {
        for (DatabaseRecord old : store.listDatabases(target.id())) {
          drop.add(old.physicalName());
          keptPhysicalNames.put(old.name(), old.physicalName());
          store.deleteDatabase(old.id());
        }
      }
      store.copyRoles(source.id(), target.id(), now);
      ArrayNode copies = JsonNodeFactory.instance.arrayNode();
      for (DatabaseRecord database : store.listDatabases(source.id())) {
        long id = store.nextDatabaseId();
        DatabaseRecord copy =
            new DatabaseRecord(
                id,
                target.id(),
                database.name(),
                database.ownerName(),
                keptPhysicalNames.getOrDefault(
                    database.name(), ControlPlane.physicalName(id, database.name())),
                now,
                now);
        store.insertDatabase(copy);
        copies
            .addObject()
            .put("source", database.physicalName())
            .put("target", copy.physicalName())
            .put("owner", copy.ownerName());
      }
      BranchRecord restoring = target.restoringFrom(source.id(), now);
      store.updateBranch(restoring);
      ObjectNode payload =
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "restore")
              .put("branch_id", target.id());
      payload.set("drop", drop);
      payload.set("copies", copies);
      List<OperationRecord> operations =
          new ArrayList<>(List.of(plane.queue(target.id(), null, "create_timeline", payload, now)));
      plane.operationsQueued();
      return new BranchChange(restoring, operations);
    }
  }
}
