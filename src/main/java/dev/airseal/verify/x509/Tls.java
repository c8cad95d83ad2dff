package dev.airseal.verify.x509;

import java.io.ByteArrayOutputStream;

/** Big-endian TLS presentation-language encoding (RFC 5246 section 4), write side. */
final class Tls {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  void u8(int v) {
    out.write(v);
  }

  void u16(int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  void u24(int v) {
    out.write(v >>> 16);
    u16(v);
  }

  void u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
  }

  void bytes(byte[] b) {
    out.writeBytes(b);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
