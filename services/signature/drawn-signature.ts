/**
 * A drawn signature arrives from the portal's canvas as a PNG data URL. It is checked by
 * content (PNG signature bytes) and size before it is kept or printed, so the field cannot
 * carry anything else into the evidence or the certificate.
 */
import { MAX_DRAWN_SIGNATURE_BYTES } from '../../domain/signature';

const PREFIX = 'data:image/png;base64,';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG bytes, or undefined when the value is not a PNG data URL within the size cap. */
export function pngFromDataUrl(dataUrl: string): Buffer | undefined {
  if (!dataUrl.startsWith(PREFIX)) return undefined;
  const base64 = dataUrl.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || (base64.length * 3) / 4 > MAX_DRAWN_SIGNATURE_BYTES + 3) return undefined;
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_DRAWN_SIGNATURE_BYTES || !bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return undefined;
  return bytes;
}
