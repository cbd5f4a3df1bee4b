import { createHmac } from "node:crypto";
import { secretKeyBytes } from "./secret";
import { distinctSigningSecrets, SIGNATURE_VERSION, signedContent, type SignedContent } from "./sign";

/**
 * The `webhook-signature` header exactly as `signatureHeader` makes it, with Node's synchronous HMAC:
 * the delivery runner signs thousands of requests a second, and each asynchronous Web Crypto call
 * costs it more than the HMAC itself. `signatureHeader` stays on Web Crypto for code that runs
 * outside Node (receivers verifying on an edge runtime share this folder).
 */
export function signatureHeaderOnNode(secrets: readonly string[], content: SignedContent): string {
  const message = signedContent(content);
  return distinctSigningSecrets(secrets)
    .map((secret) => {
      const digest = createHmac("sha256", secretKeyBytes(secret)).update(message).digest("base64");
      return `${SIGNATURE_VERSION},${digest}`;
    })
    .join(" ");
}
