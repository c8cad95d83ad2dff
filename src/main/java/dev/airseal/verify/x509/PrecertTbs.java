package dev.airseal.verify.x509;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;

/**
 * The TBSCertificate a CT log saw: the issued one minus an extension (the SCT list, or the
 * precertificate poison). Works on the ASN.1 structure so every other byte stays as issued: the
 * input is DER, and DER re-encodes to the same bytes.
 */
final class PrecertTbs {
  private static final int EXTENSIONS_TAG = 3;

  private PrecertTbs() {}

  static byte[] withoutExtension(byte[] tbsDer, String oid) throws IOException {
    ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(tbsDer));
    ASN1ObjectIdentifier drop = new ASN1ObjectIdentifier(oid);
    ASN1EncodableVector fields = new ASN1EncodableVector();
    for (ASN1Encodable field : tbs) {
      if (field instanceof ASN1TaggedObject tagged && tagged.getTagNo() == EXTENSIONS_TAG) {
        ASN1Sequence extensions = ASN1Sequence.getInstance(tagged, true);
        ASN1EncodableVector kept = new ASN1EncodableVector();
        for (ASN1Encodable ext : extensions) {
          if (!ASN1Sequence.getInstance(ext).getObjectAt(0).equals(drop)) {
            kept.add(ext);
          }
        }
        if (kept.size() > 0) {
          fields.add(new DERTaggedObject(true, EXTENSIONS_TAG, new DERSequence(kept)));
        }
      } else {
        fields.add(field);
      }
    }
    return new DERSequence(fields).getEncoded(ASN1Encoding.DER);
  }
}
