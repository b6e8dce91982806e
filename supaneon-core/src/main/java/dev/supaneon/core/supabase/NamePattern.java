package dev.supaneon.core.supabase;

import java.util.List;
import java.util.regex.Pattern;

/** A name pattern from settings: {@code *} matches any run of characters, {@code ?} one. */
record NamePattern(String text, Pattern regex) {

  static NamePattern of(String text) {
    StringBuilder regex = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new NamePattern(text, Pattern.compile(regex.toString()));
  }

  static List<NamePattern> all(List<String> texts) {
    return texts.stream().map(NamePattern::of).toList();
  }

  boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  static boolean anyMatches(List<NamePattern> patterns, String name) {
    return patterns.stream().anyMatch(p -> p.matches(name));
  }
}
