import { readFileSync } from "node:fs";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_TABLE, migrateDatabase } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../support/database";

interface DmmfField {
  name: string;
  dbName: string | null;
  kind: "scalar" | "object" | "enum";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string }[] }[];
    indexes: DmmfIndex[];
  };
}

const schema = readFileSync("prisma/schema.prisma", "utf8");
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schema }))) as Dmmf;
const enumsByName = new Map(dmmf.datamodel.enums.map((entry) => [entry.name, entry]));

/** The information_schema description Prisma's type implies for a field. */
function expectedColumnType(field: DmmfField): { dataType: string; udtName: string } {
  if (field.kind === "enum") {
    const udtName = enumsByName.get(field.type)?.dbName ?? field.type;
    return field.isList ? { dataType: "ARRAY", udtName: `_${udtName}` } : { dataType: "USER-DEFINED", udtName };
  }
  const scalar: Record<string, { dataType: string; udtName: string }> = {
    String: { dataType: "text", udtName: "text" },
    Int: { dataType: "integer", udtName: "int4" },
    BigInt: { dataType: "bigint", udtName: "int8" },
    Float: { dataType: "double precision", udtName: "float8" },
    Boolean: { dataType: "boolean", udtName: "bool" },
    DateTime:
      field.nativeType?.[0] === "Timestamptz"
        ? { dataType: "timestamp with time zone", udtName: "timestamptz" }
        : { dataType: "timestamp without time zone", udtName: "timestamp" },
    Json: { dataType: "jsonb", udtName: "jsonb" },
  };
  const type = scalar[field.type];
  if (!type) throw new Error(`no mapping for Prisma type ${field.type}`);
  return field.isList ? { dataType: "ARRAY", udtName: `_${type.udtName}` } : type;
}

describe("schema.prisma and the SQL migrations", () => {
  let testDatabase: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrateDatabase(testDatabase.url);
    client = new pg.Client({ connectionString: testDatabase.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await testDatabase.drop();
  });

  it("describe the same tables", async () => {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> $1",
      [MIGRATIONS_TABLE],
    );
    const modelTables = dmmf.datamodel.models.map((model) => model.dbName ?? model.name);
    expect(tables.rows.map((row) => row.table_name).sort()).toEqual([...modelTables].sort());
  });

  it("describe the same columns, types and nullability", async () => {
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const columns = await client.query<{ column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
        "SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        [table],
      );
      const actual = Object.fromEntries(
        columns.rows.map((row) => [row.column_name, { dataType: row.data_type, udtName: row.udt_name, nullable: row.is_nullable === "YES" }]),
      );
      const expected = Object.fromEntries(
        model.fields
          .filter((field) => field.kind !== "object")
          .map((field) => [field.dbName ?? field.name, { ...expectedColumnType(field), nullable: !field.isRequired && !field.isList }]),
      );
      expect(actual, `columns of ${table}`).toEqual(expected);
    }
  });

  it("describe the same enums", async () => {
    const enums = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(enums.rows.map((row) => [row.typname, row.labels]));
    const expected = Object.fromEntries(
      dmmf.datamodel.enums.map((entry) => [entry.dbName ?? entry.name, entry.values.map((value) => value.name)]),
    );
    expect(actual).toEqual(expected);
  });

  it("describe the same primary keys, unique constraints and indexes", async () => {
    const indexes = await client.query<{ table: string; unique: boolean; primary: boolean; columns: string[]; name: string }>(
      `SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary, ic.relname AS name,
              array_agg(a.attname::text || CASE WHEN i.indoption[k.ord - 1] & 1 = 1 THEN ' desc' ELSE '' END ORDER BY k.ord) AS columns
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE c.relname <> $1
        GROUP BY c.relname, i.indisunique, i.indisprimary, ic.relname, i.indexrelid`,
      [MIGRATIONS_TABLE],
    );
    const describeIndex = (table: string, kind: string, columns: string[]) => `${table} ${kind} (${columns.join(", ")})`;
    const actual = indexes.rows
      .map((row) => describeIndex(row.table, row.primary ? "primary" : row.unique ? "unique" : "index", row.columns))
      .sort();

    const columnName = (model: DmmfModel, fieldName: string) => {
      const field = model.fields.find((candidate) => candidate.name === fieldName);
      return field?.dbName ?? fieldName;
    };
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = dmmf.datamodel.models.find((candidate) => candidate.name === index.model)!;
        const kind = index.type === "id" ? "primary" : index.type === "unique" ? "unique" : "index";
        const columns = index.fields.map((field) => `${columnName(model, field.name)}${field.sortOrder === "desc" ? " desc" : ""}`);
        return describeIndex(model.dbName ?? model.name, kind, columns);
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it("describe the same foreign keys", async () => {
    const foreignKeys = await client.query<{ table: string; columns: string[]; target: string; target_columns: string[]; on_delete: string }>(
      `SELECT c.relname AS table, t.relname AS target, con.confdeltype AS on_delete,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS target_columns
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_class t ON t.oid = con.confrelid
        WHERE con.contype = 'f'`,
    );
    const onDelete: Record<string, string> = { c: "Cascade", n: "SetNull", r: "Restrict", a: "NoAction", d: "SetDefault" };
    const actual = foreignKeys.rows
      .map((row) => `${row.table}(${row.columns.join(", ")}) -> ${row.target}(${row.target_columns.join(", ")}) ${onDelete[row.on_delete]}`)
      .sort();

    const modelsByName = new Map(dmmf.datamodel.models.map((model) => [model.name, model]));
    const column = (model: DmmfModel, name: string) => model.fields.find((field) => field.name === name)?.dbName ?? name;
    const expected = dmmf.datamodel.models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind === "object" && (field.relationFromFields?.length ?? 0) > 0)
          .map((field) => {
            const target = modelsByName.get(field.type)!;
            const from = field.relationFromFields!.map((name) => column(model, name));
            const to = field.relationToFields!.map((name) => column(target, name));
            // Without an explicit onDelete the migrations use Postgres's default, NO ACTION.
            return `${model.dbName ?? model.name}(${from.join(", ")}) -> ${target.dbName ?? target.name}(${to.join(", ")}) ${field.relationOnDelete ?? "NoAction"}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
