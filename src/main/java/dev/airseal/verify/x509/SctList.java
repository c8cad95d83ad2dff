package dev.airseal.verify.x509;

import dev.airseal.verify.VerificationException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;

/**
 * Reads the SignedCertificateTimestampList of RFC 6962 section 3.3: an X.509 extension whose
 * value is an OCTET STRING holding the TLS-encoded list.
 */
final class SctList {
  private SctList() {}

  /** {@code extensionValue} as {@code X509Certificate#getExtensionValue} returns it. */
  static List<Sct> parse(byte[] extensionValue) throws VerificationException {
    try {
      byte[] inner = ASN1OctetString.getInstance(extensionValue).getOctets();
      byte[] tls = ASN1OctetString.getInstance(inner).getOctets();
      ByteBuffer list = slice(ByteBuffer.wrap(tls), u16(ByteBuffer.wrap(tls)), 2);
      if (2 + list.remaining() != tls.length) {
        throw new VerificationException("SCT list has " + (tls.length - 2 - list.remaining())
            + " trailing bytes");
      }
      List<Sct> out = new ArrayList<>();
      while (list.hasRemaining()) {
        int len = u16(list);
        ByteBuffer one = slice(list, len, 0);
        out.add(sct(one));
        if (one.hasRemaining()) {
          throw new VerificationException("SCT has " + one.remaining() + " trailing bytes");
        }
      }
      if (out.isEmpty()) {
        throw new VerificationException("SCT list is empty");
      }
      return out;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new VerificationException("malformed embedded SCT list: " + e, e);
    }
  }

  private static Sct sct(ByteBuffer b) {
    int version = b.get() & 0xff;
    byte[] logId = bytes(b, 32);
    long timestamp = b.getLong();
    byte[] extensions = bytes(b, u16(b));
    int hash = b.get() & 0xff;
    int sig = b.get() & 0xff;
    byte[] signature = bytes(b, u16(b));
    return new Sct(version, logId, timestamp, extensions, hash, sig, signature);
  }

  private static int u16(ByteBuffer b) {
    return b.getShort() & 0xffff;
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  /** The next {@code len} bytes of {@code b} (after skipping {@code skip}), consumed from b. */
  private static ByteBuffer slice(ByteBuffer b, int len, int skip) {
    b.position(b.position() + skip);
    if (len > b.remaining()) {
      throw new BufferUnderflowException();
    }
    ByteBuffer out = b.slice(b.position(), len);
    b.position(b.position() + len);
    return out;
  }
}
