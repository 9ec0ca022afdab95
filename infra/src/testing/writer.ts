// A process that writes without pause to a Studio database (for online-backup tests): each write is
// one transaction that inserts a probe row and bumps a counter, so a consistent copy always has
// count(backup_probe) = backup_counter.n. Usage: tsx writer.ts <database file>
import { migrate, openDatabase } from "@agentos/db";

const [file] = process.argv.slice(2);
if (!file) throw new Error("usage: writer.ts <database file>");
const db = await openDatabase({ url: `file:${file}` });
await migrate(db);
await db.$client.batch(
  [
    "CREATE TABLE IF NOT EXISTS backup_probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS backup_counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO backup_counter (id, n) VALUES (1, 0)",
  ],
  "write",
);
let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});
console.log("writing");
let writes = 0;
while (!stopping) {
  await db.$client.batch(
    [
      { sql: "INSERT INTO backup_probe (payload) VALUES (?)", args: [`row ${writes}`.padEnd(512, ".")] },
      "UPDATE backup_counter SET n = n + 1 WHERE id = 1",
    ],
    "write",
  );
  writes++;
}
console.log(`wrote ${writes}`);
db.$client.close();
