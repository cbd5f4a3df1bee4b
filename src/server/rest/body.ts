import { MAX_BODY_BYTES } from "@/contracts/common";
import { jsonTextProblems } from "@/core/payload/json-text";
import { UNSTORABLE_TEXT_PROBLEM, unstorableTextPaths } from "@/core/payload/storable-text";
import { HttpProblem } from "./problem";

/**
 * Valid UTF-8 JSON text can hold NUL or an unpaired surrogate only as a `\u` escape (raw control
 * characters are invalid JSON), so without one the parsed value need not be walked.
 */
const MAY_HOLD_UNSTORABLE_TEXT = /\\u(?:0000|[dD][89a-fA-F])/;

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The request's JSON body: 415 unless the content type is JSON, 413 past `maxBytes` (checked on
 * Content-Length first, then on the bytes actually read, so a lying or absent header changes
 * nothing), 400 for an empty body, bytes that are not UTF-8, or malformed JSON; 422, naming each path,
 * for what could not be stored as sent: nesting past MAX_JSON_DEPTH, numbers a double cannot carry
 * exactly, NUL characters and unpaired surrogates.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!JSON_CONTENT_TYPE.test(contentType)) {
    throw new HttpProblem(
      415,
      contentType
        ? `Content-Type ${contentType.split(";")[0]} is not supported; send application/json`
        : "The request has no Content-Type; send application/json",
    );
  }
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);

  const bytes = await readAtMost(request, maxBytes);
  if (bytes.byteLength === 0) throw new HttpProblem(400, "The request body is empty; expected a JSON object");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, "The request body is not valid UTF-8");
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpProblem(400, `The request body is not valid JSON: ${reason}`);
  }
  // The text first: it bounds the depth every later walk over the parsed value can reach.
  const problems = jsonTextProblems(text);
  if (problems.length === 0 && MAY_HOLD_UNSTORABLE_TEXT.test(text))
    problems.push(...unstorableTextPaths(body).map((path) => ({ path, problem: UNSTORABLE_TEXT_PROBLEM })));
  if (problems.length > 0) {
    throw new HttpProblem(422, "The request body holds values that cannot be stored as sent", {
      errors: problems.map(({ path, problem }) => ({ path: path.join("."), message: problem })),
    });
  }
  return body;
}

function tooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem(413, `The request body is larger than ${maxBytes / 1024} KB`);
}

async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away mid-body (ECONNRESET); nobody will read this answer.
      throw new HttpProblem(400, "The request body could not be read to the end");
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
