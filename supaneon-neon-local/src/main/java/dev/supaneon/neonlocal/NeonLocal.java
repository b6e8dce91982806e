package dev.supaneon.neonlocal;

import dev.supaneon.neonlocal.controlplane.ControlPlane;
import dev.supaneon.neonlocal.controlplane.OperationWorker;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.proxy.EndpointProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A Neon API v2-compatible server on a real PostgreSQL server, embeddable in tests:
 *
 * <pre>{@code
 * try (NeonLocal neon = NeonLocal.builder().start()) {
 *   String url = neon.apiUrl();      // http://127.0.0.1:PORT/api/v2
 *   String key = neon.apiKey();
 *   String project = neon.projectId();
 *   neon.faults().failNext("createProjectBranch", 503, 2);
 * }
 * }</pre>
 *
 * <p>Each (branch, database) is a real database on the backing server; control-plane state is
 * stored there too, so a new NeonLocal on the same backing server finds every branch again. Clients
 * reach branches through their endpoints: each one is a port of neon-local's proxy ({@link
 * EndpointProxy}) on 127.0.0.1, kept across restarts while the port is free.
 */
public final class NeonLocal implements AutoCloseable {

  private final PostgresServer backingServer;
  private final boolean ownsBackingServer;
  private final ControlPlane controlPlane;
  private final EndpointProxy proxy;
  private final OperationWorker worker;
  private final HttpApi api;
  private final String apiKey;
  private final Faults faults;

  private NeonLocal(
      PostgresServer backingServer,
      boolean ownsBackingServer,
      ControlPlane controlPlane,
      EndpointProxy proxy,
      OperationWorker worker,
      HttpApi api,
      String apiKey,
      Faults faults) {
    this.backingServer = backingServer;
    this.ownsBackingServer = ownsBackingServer;
    this.controlPlane = controlPlane;
    this.proxy = proxy;
    this.worker = worker;
    this.api = api;
    this.apiKey = apiKey;
    this.faults = faults;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The API base URL, for example {@code http://127.0.0.1:41234/api/v2}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + api.port() + HttpApi.API_PREFIX;
  }

  /** The bearer key every API call must carry. */
  public String apiKey() {
    return apiKey;
  }

  public String projectId() {
    return controlPlane.projectId();
  }

  public int port() {
    return api.port();
  }

  public Faults faults() {
    return faults;
  }

  /** The server that holds every branch database. */
  public PostgresServer backingServer() {
    return backingServer;
  }

  /** Every call answered so far (the last 10,000), oldest first. */
  public List<RecordedRequest> requests() {
    return api.journal();
  }

  public void clearRequests() {
    api.clearJournal();
  }

  @Override
  public void close() {
    api.close();
    worker.close();
    proxy.close();
    controlPlane.close();
    if (ownsBackingServer) {
      backingServer.close();
    }
  }

  /** Options for {@link NeonLocal}; every one has a default. */
  public static final class Builder {
    private PostgresServer backingServer;
    private boolean ownsBackingServer;
    private int port;
    private String apiKey;
    private String projectId;
    private int branchLimit = 10;
    private long storageLimitBytes = 512L * 1024 * 1024;
    private Duration operationDelay = Duration.ofMillis(50);
    private Duration expirySweepInterval = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private Consumer<String> log = message -> {};

    private Builder() {}

    /** The server to keep branches on; by default one is started and stopped with neon-local. */
    public Builder backingServer(PostgresServer server) {
      this.backingServer = Objects.requireNonNull(server);
      this.ownsBackingServer = false;
      return this;
    }

    /** Port to listen on (loopback only); 0, the default, picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The API key; by default a random one. */
    public Builder apiKey(String apiKey) {
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("the API key must not be blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** The project id; by default the one already stored on the backing server, or a new one. */
    public Builder projectId(String projectId) {
      if (!projectId.matches("^[a-z0-9-]{1,60}$")) {
        throw new IllegalArgumentException(
            "a project id is 1 to 60 characters of a-z, 0-9 and '-'");
      }
      this.projectId = projectId;
      return this;
    }

    /** Branches allowed in the project, the default branch included (Neon's free plan: 10). */
    public Builder branchLimit(int branchLimit) {
      if (branchLimit < 1) {
        throw new IllegalArgumentException("the branch limit must be at least 1");
      }
      this.branchLimit = branchLimit;
      return this;
    }

    /**
     * The project's storage limit in MiB (Neon's free plan: 512), reported as the project's quota
     * and branch size limit; {@code synthetic_storage_size} is measured against it.
     */
    public Builder storageLimitMib(long mebibytes) {
      if (mebibytes < 1) {
        throw new IllegalArgumentException("the storage limit must be at least 1 MiB");
      }
      this.storageLimitBytes = mebibytes * 1024 * 1024;
      return this;
    }

    /** How long an operation stays in {@code scheduling} before it runs (default 50 ms). */
    public Builder operationDelay(Duration delay) {
      this.operationDelay = delay;
      return this;
    }

    /** How often expired branches are looked for (default 5 s). */
    public Builder expirySweepInterval(Duration interval) {
      this.expirySweepInterval = interval;
      return this;
    }

    /** The clock for timestamps and expiry. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Where neon-local reports background problems; by default nowhere. */
    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    public NeonLocal start() {
      PostgresServer server = backingServer;
      boolean owns = ownsBackingServer;
      if (server == null) {
        server = PostgresServers.start();
        owns = true;
      }
      ControlPlane controlPlane = null;
      EndpointProxy proxy = null;
      OperationWorker worker = null;
      try {
        controlPlane =
            ControlPlane.open(
                server, Optional.ofNullable(projectId), branchLimit, storageLimitBytes, clock);
        String key = apiKey;
        if (key == null) {
          // Kept with the branches, so a restarted neon-local answers to the same key.
          key = controlPlane.store().setting("api_key").orElse(randomKey());
        }
        controlPlane.store().putSetting("api_key", key);
        proxy = new EndpointProxy(controlPlane.endpoints(), server, log);
        controlPlane.serveEndpointsAt(proxy);
        worker = new OperationWorker(controlPlane, operationDelay, expirySweepInterval, log);
        Faults faults = new Faults();
        HttpApi api = new HttpApi(controlPlane, key, faults, "127.0.0.1", port, proxy.host());
        worker.start();
        api.start();
        return new NeonLocal(server, owns, controlPlane, proxy, worker, api, key, faults);
      } catch (SQLException e) {
        cleanUp(server, owns, controlPlane, proxy, worker);
        throw new IllegalStateException(
            "neon-local could not prepare the backing server: " + e.getMessage(), e);
      } catch (IOException e) {
        cleanUp(server, owns, controlPlane, proxy, worker);
        throw new UncheckedIOException("neon-local could not listen on port " + port, e);
      } catch (RuntimeException e) {
        cleanUp(server, owns, controlPlane, proxy, worker);
        throw e;
      }
    }

    private static void cleanUp(
        PostgresServer server,
        boolean owns,
        ControlPlane controlPlane,
        EndpointProxy proxy,
        OperationWorker worker) {
      if (worker != null) {
        worker.close();
      }
      if (proxy != null) {
        proxy.close();
      }
      if (controlPlane != null) {
        controlPlane.close();
      }
      if (owns) {
        server.close();
      }
    }

    private static String randomKey() {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      return "nl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }
}
