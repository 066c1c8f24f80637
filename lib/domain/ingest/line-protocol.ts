/**
 * InfluxDB line protocol, as Telegraf's `outputs.http` (data_format = "influx") and Grafana Live
 * send it: `measurement[,tag=value…] field=value[,field=value…] [timestamp]`, one point a line.
 *
 * Escaping (InfluxDB's rules): in the measurement a backslash escapes a comma or a space; in tag
 * keys, tag values and field keys it escapes a comma, an equals sign or a space; in a string field
 * value it escapes a double quote or a backslash. A backslash before any other character is that
 * backslash itself. Field values: floats (`1`, `-1.5`, `2e3`), integers (`1i`), unsigned integers
 * (`1u`), strings (`"…"`) and booleans (`t`, `true`, `F`, `FALSE`…). Blank lines and lines starting
 * with `#` are skipped. A line never throws: it parses to a point or to a reason.
 */

export type FieldValue =
  | { type: "float"; value: number }
  | { type: "integer"; value: bigint }
  | { type: "uinteger"; value: bigint }
  | { type: "string"; value: string }
  | { type: "boolean"; value: boolean };

export interface Point {
  measurement: string;
  tags: Map<string, string>;
  fields: Map<string, FieldValue>;
  /** In the request's precision; null when the line has none (the server's clock then stands in). */
  timestamp: bigint | null;
}

export type LineResult = { ok: true; point: Point } | { ok: false; reason: string };

/** Where a line's sections end: unescaped separators outside a quoted string. */
const MEASUREMENT_ESCAPES = new Set([",", " "]);
const KEY_ESCAPES = new Set([",", "=", " "]);

class Cursor {
  position = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.position >= this.text.length;
  }
  peek(): string {
    return this.text[this.position] ?? "";
  }
}

/** Reads an escaped token up to one of `stops` (unescaped), leaving the cursor on the stop. */
function readToken(cursor: Cursor, escapable: Set<string>, stops: Set<string>): string {
  let token = "";
  while (!cursor.done) {
    const char = cursor.peek();
    if (char === "\\") {
      const next = cursor.text[cursor.position + 1];
      if (next !== undefined && escapable.has(next)) {
        token += next;
        cursor.position += 2;
        continue;
      }
      token += char;
      cursor.position++;
      continue;
    }
    if (stops.has(char)) break;
    token += char;
    cursor.position++;
  }
  return token;
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+i$/;
const UINTEGER = /^\d+u$/;
const TRUE = new Set(["t", "T", "true", "True", "TRUE"]);
const FALSE = new Set(["f", "F", "false", "False", "FALSE"]);
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

function parseFieldValue(cursor: Cursor): FieldValue | string {
  if (cursor.peek() === '"') {
    cursor.position++;
    let value = "";
    while (true) {
      if (cursor.done) return "a string field value is not closed with a double quote";
      const char = cursor.peek();
      if (char === "\\" && (cursor.text[cursor.position + 1] === '"' || cursor.text[cursor.position + 1] === "\\")) {
        value += cursor.text[cursor.position + 1];
        cursor.position += 2;
        continue;
      }
      cursor.position++;
      if (char === '"') return { type: "string", value };
      value += char;
    }
  }
  const start = cursor.position;
  while (!cursor.done && cursor.peek() !== "," && cursor.peek() !== " ") cursor.position++;
  const raw = cursor.text.slice(start, cursor.position);
  if (raw === "") return "a field has no value";
  if (INTEGER.test(raw)) {
    const value = BigInt(raw.slice(0, -1));
    if (value > MAX_INT64 || value < MIN_INT64) return `integer ${raw.slice(0, 30)} is outside 64 bits`;
    return { type: "integer", value };
  }
  if (UINTEGER.test(raw)) {
    const value = BigInt(raw.slice(0, -1));
    if (value > MAX_UINT64) return `unsigned integer ${raw.slice(0, 30)} is outside 64 bits`;
    return { type: "uinteger", value };
  }
  if (FLOAT.test(raw)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) return `float ${raw.slice(0, 30)} is out of range`;
    return { type: "float", value };
  }
  if (TRUE.has(raw)) return { type: "boolean", value: true };
  if (FALSE.has(raw)) return { type: "boolean", value: false };
  return `field value ${JSON.stringify(raw.slice(0, 30))} is not a number, integer (…i), unsigned (…u), string ("…") or boolean`;
}

const TAG_STOPS = new Set([",", "=", " "]);

/** One line (without its newline) as a point, or why not. */
export function parseLine(line: string): LineResult {
  const fail = (reason: string): LineResult => ({ ok: false, reason });
  const cursor = new Cursor(line);
  const measurement = readToken(cursor, MEASUREMENT_ESCAPES, MEASUREMENT_ESCAPES);
  if (measurement === "") return fail("the line has no measurement name");

  const tags = new Map<string, string>();
  while (cursor.peek() === ",") {
    cursor.position++;
    const key = readToken(cursor, KEY_ESCAPES, TAG_STOPS);
    if (cursor.peek() !== "=") return fail(`tag ${JSON.stringify(key.slice(0, 30))} has no '=value'`);
    cursor.position++;
    const value = readToken(cursor, KEY_ESCAPES, TAG_STOPS);
    if (key === "") return fail("a tag has no key");
    if (value === "") return fail(`tag ${JSON.stringify(key.slice(0, 30))} has an empty value`);
    if (cursor.peek() === "=") return fail(`tag ${JSON.stringify(key.slice(0, 30))} has an unescaped '=' in its value`);
    tags.set(key, value);
  }
  if (cursor.peek() !== " ") return fail("expected a space and the fields after the measurement and tags");
  while (cursor.peek() === " ") cursor.position++;

  const fields = new Map<string, FieldValue>();
  while (true) {
    const key = readToken(cursor, KEY_ESCAPES, TAG_STOPS);
    if (key === "") return fail(fields.size === 0 ? "the line has no fields" : "a field has no key");
    if (cursor.peek() !== "=") return fail(`field ${JSON.stringify(key.slice(0, 30))} has no '=value'`);
    cursor.position++;
    const value = parseFieldValue(cursor);
    if (typeof value === "string") return fail(value);
    fields.set(key, value);
    if (cursor.peek() === ",") {
      cursor.position++;
      continue;
    }
    break;
  }

  while (cursor.peek() === " ") cursor.position++;
  let timestamp: bigint | null = null;
  if (!cursor.done) {
    const raw = cursor.text.slice(cursor.position).trimEnd();
    if (!/^-?\d{1,19}$/.test(raw)) return fail(`timestamp ${JSON.stringify(raw.slice(0, 30))} is not a whole number`);
    timestamp = BigInt(raw);
  }
  return { ok: true, point: { measurement, tags, fields, timestamp } };
}

export interface NumberedLine {
  /** 1-based, counting every line of the body (blank and comment lines too), as an editor shows them. */
  line: number;
  text: string;
}

/** The lines of a body that carry points: blank lines and `#` comments dropped, `\r\n` allowed. */
export function pointLines(body: string): NumberedLine[] {
  const lines: NumberedLine[] = [];
  let number = 0;
  for (const raw of body.split("\n")) {
    number++;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const trimmed = text.trimStart();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    lines.push({ line: number, text: trimmed });
  }
  return lines;
}

const escapeWith = (text: string, specials: Set<string>) => [...text].map((char) => (specials.has(char) ? `\\${char}` : char)).join("");

function formatFieldValue(value: FieldValue): string {
  switch (value.type) {
    case "float":
      return String(value.value);
    case "integer":
      return `${value.value}i`;
    case "uinteger":
      return `${value.value}u`;
    case "string":
      return `"${value.value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
    case "boolean":
      return value.value ? "true" : "false";
  }
}

/** A point as a line (the replay tool and the tests write lines with it). */
export function formatLine(point: Point): string {
  let line = escapeWith(point.measurement, MEASUREMENT_ESCAPES);
  for (const [key, value] of point.tags) line += `,${escapeWith(key, KEY_ESCAPES)}=${escapeWith(value, KEY_ESCAPES)}`;
  line += " ";
  line += [...point.fields].map(([key, value]) => `${escapeWith(key, KEY_ESCAPES)}=${formatFieldValue(value)}`).join(",");
  if (point.timestamp !== null) line += ` ${point.timestamp}`;
  return line;
}
