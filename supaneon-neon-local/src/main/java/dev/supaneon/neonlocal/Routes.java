package dev.supaneon.neonlocal;

import dev.supaneon.neonlocal.ApiCalls.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table: Neon's path templates ({@code /projects/{project_id}/...}) and their handlers.
 */
final class Routes {

  /** A route: method, path pattern with its parameter names, Neon's operationId, handler. */
  record Route(
      String method, Pattern pattern, List<String> names, String operation, Handler handler) {}

  private final String prefix;
  private final List<Route> routes = new ArrayList<>();

  Routes(String prefix) {
    this.prefix = prefix;
  }

  List<Route> all() {
    return List.copyOf(routes);
  }

  void add(String method, String template, String operation, Handler handler) {
    List<String> names = new ArrayList<>();
    Matcher placeholders = Pattern.compile("\\{([a-z_]+)}").matcher(template);
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (placeholders.find()) {
      regex.append(Pattern.quote(template.substring(last, placeholders.start())));
      regex.append("([^/]+)");
      names.add(placeholders.group(1));
      last = placeholders.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    routes.add(new Route(method, Pattern.compile(prefix + regex), names, operation, handler));
  }
}
