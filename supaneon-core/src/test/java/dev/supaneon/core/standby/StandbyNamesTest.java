package dev.supaneon.core.standby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.neon.Branch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the standby is recognised, without a server: a promoted standby is found before any other,
 * and only supaneon's own standby counts as promoted.
 */
class StandbyNamesTest {

  static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");

  static Branch branch(String id, String name, boolean supaneons) {
    return new Branch(
        id,
        name,
        "br-main",
        "ready",
        null,
        false,
        false,
        AT,
        AT,
        null,
        supaneons ? Map.of(BranchLifecycle.KIND_ANNOTATION, Standby.KIND) : Map.of(),
        null);
  }

  @Test
  void aPromotedStandbyCarriesItsTimeInItsName() {
    assertEquals("standby-promoted-20261123T101530Z", Standby.promotedName("standby", AT));
  }

  @Test
  void aPromotedStandbyIsFoundBeforeAFreshOneOfTheSameName() {
    Branch fresh = branch("br-fresh", "standby", true);
    Branch promoted = branch("br-live", Standby.promotedName("standby", AT), true);
    Standby found = Standby.find(List.of(fresh, promoted), "standby").orElseThrow();
    assertEquals("br-live", found.branch().id());
    assertTrue(found.promoted());
    assertEquals(Optional.of(AT), found.promotedAt());
  }

  @Test
  void theNewestPromotionWins() {
    Branch older = branch("br-old", Standby.promotedName("standby", AT.minusSeconds(3600)), true);
    Branch newer = branch("br-new", Standby.promotedName("standby", AT), true);
    assertEquals(
        "br-new", Standby.find(List.of(older, newer), "standby").orElseThrow().branch().id());
    assertEquals(
        "br-new", Standby.find(List.of(newer, older), "standby").orElseThrow().branch().id());
  }

  @Test
  void aBranchThatOnlyLooksPromotedIsNotSupaneonsPromotedStandby() {
    Branch lookalike = branch("br-x", Standby.promotedName("standby", AT), false);
    Branch fresh = branch("br-fresh", "standby", true);
    Standby found = Standby.find(List.of(lookalike, fresh), "standby").orElseThrow();
    assertEquals("br-fresh", found.branch().id());
    assertFalse(found.promoted(), "a lookalike never stops refreshes");
  }

  @Test
  void anotherStandbysNameIsNotThisOne() {
    Branch other = branch("br-o", Standby.promotedName("standby-eu", AT), true);
    assertEquals(Optional.empty(), Standby.find(List.of(other), "standby"));
    assertFalse(Standby.find(List.of(branch("br-b", "standby-x", true)), "standby").isPresent());
  }

  @Test
  void onlyTheStandbyAnnotationMarksSupaneonsStandby() {
    assertTrue(Standby.madeAsStandby(branch("a", "standby", true)));
    assertFalse(Standby.madeAsStandby(branch("b", "standby", false)));
  }

  @Test
  void aGarbledPromotionStampIsNotAPromotion() {
    Branch garbled = branch("br-g", "standby-promoted-yesterday", true);
    assertFalse(Standby.find(List.of(garbled), "standby").isPresent());
  }
}
