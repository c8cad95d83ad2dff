package dev.airseal.log.rekor.kind;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntryTypesTest {
  @Test
  void canonicalize_rejectsUnknownKind() throws Exception {
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(Fixtures.read("{\"kind\":\"rpm\",\"apiVersion\":\"0.0.1\",\"spec\":{}}")))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageStartingWith("unsupported kind \"rpm\"");
  }

  @Test
  void canonicalize_rejectsUnknownVersion() throws Exception {
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(Fixtures.read("{\"kind\":\"intoto\",\"apiVersion\":\"0.0.1\",\"spec\":{}}")))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("kind intoto does not support apiVersion \"0.0.1\"; supported: 0.0.2");
  }

  @Test
  void canonicalize_rejectsMissingSpec() throws Exception {
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(Fixtures.read("{\"kind\":\"dsse\",\"apiVersion\":\"0.0.1\"}")))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec is required");
  }

  @Test
  void canonicalize_rejectsNonStringKind() throws Exception {
    assertThatThrownBy(() -> EntryTypes.canonicalize(Fixtures.read("{\"kind\":1}")))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("kind must be a string, got NUMBER");
  }

  @Test
  void canonicalize_rejectsArray() throws Exception {
    assertThatThrownBy(() -> EntryTypes.canonicalize(Fixtures.read("[]")))
        .isInstanceOf(InvalidEntryException.class);
  }
}
