// The phone's own storage (IndexedDB), one database per user:
//   route      the last day payload fetched from /api/v1/field/today/ (key "today"), and a counter
//   outbox     operations waiting to be sent, in the order they were made (index "seq")
//   attention  operations the server rejected or found in conflict, kept until the collector acts
//   journal    every operation this phone made, with its latest status and result: the app
//              derives its optimistic view of a visit from it (and finds results such as a plan id)
// Nothing is ever dropped silently: an operation leaves the outbox only for the journal (applied)
// or for the attention list (refused), in one transaction.

const VERSION = 1;
const DONE = new Set(["applied", "replayed"]);
const REFUSED = new Set(["rejected", "conflict", "forbidden"]);
export const BATCH = 50;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("transaction aborted"));
  });
}

export function newOperationId() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function newOperation(kind, data) {
  return { id: newOperationId(), kind, at: new Date().toISOString(), data };
}

export class FieldStore {
  constructor(database) {
    this.db = database;
  }

  static async open(name) {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("route")) db.createObjectStore("route", { keyPath: "key" });
      for (const storeName of ["outbox", "attention", "journal"]) {
        if (!db.objectStoreNames.contains(storeName)) {
          const store = db.createObjectStore(storeName, { keyPath: "id" });
          store.createIndex("seq", "seq", { unique: false });
        }
      }
    };
    return new FieldStore(await promised(request));
  }

  async getRoute() {
    const tx = this.db.transaction("route", "readonly");
    return (await promised(tx.objectStore("route").get("today"))) || null;
  }

  async putRoute(payload) {
    const tx = this.db.transaction("route", "readwrite");
    const saved = { key: "today", payload, saved_at: new Date().toISOString() };
    tx.objectStore("route").put(saved);
    await finished(tx);
    return saved;
  }

  async getSetting(key, fallback = null) {
    const tx = this.db.transaction("route", "readonly");
    const row = await promised(tx.objectStore("route").get(`setting:${key}`));
    return row ? row.value : fallback;
  }

  async putSetting(key, value) {
    const tx = this.db.transaction("route", "readwrite");
    tx.objectStore("route").put({ key: `setting:${key}`, value });
    await finished(tx);
  }

  // Store the operation before anything else happens: a crash or a closed tab after this keeps it.
  async enqueue(operation, meta = {}) {
    const tx = this.db.transaction(["route", "outbox", "journal"], "readwrite");
    const route = tx.objectStore("route");
    const counter = (await promised(route.get("counter"))) || { key: "counter", value: 0 };
    counter.value += 1;
    route.put(counter);
    const entry = { ...operation, seq: counter.value, status: "pending", created_at: new Date().toISOString(),
      stop: operation.data && operation.data.stop !== undefined ? operation.data.stop : null, ...meta };
    tx.objectStore("outbox").put(entry);
    tx.objectStore("journal").put(entry);
    await finished(tx);
    return entry;
  }

  async #all(storeName) {
    const tx = this.db.transaction(storeName, "readonly");
    return promised(tx.objectStore(storeName).index("seq").getAll());
  }

  queued() { return this.#all("outbox"); }

  attention() { return this.#all("attention"); }

  journal() { return this.#all("journal"); }

  async pendingCount() {
    const tx = this.db.transaction("outbox", "readonly");
    return promised(tx.objectStore("outbox").count());
  }

  async #journalUpdate(tx, id, changes) {
    const journal = tx.objectStore("journal");
    const entry = await promised(journal.get(id));
    if (entry) journal.put({ ...entry, ...changes });
  }

  // File the server's answer for one operation: done → journal; refused → attention. Any other
  // answer (none, or one this app does not know) leaves the operation queued.
  async settle(result) {
    if (!result || !result.id) return "unknown";
    const status = result.status;
    if (!DONE.has(status) && !REFUSED.has(status)) return "unknown";
    const tx = this.db.transaction(["outbox", "attention", "journal"], "readwrite");
    const outbox = tx.objectStore("outbox");
    const queued = await promised(outbox.get(result.id));
    if (!queued) {
      await finished(tx);
      return "unknown";
    }
    outbox.delete(result.id);
    const answer = { status, result: result.result || null, code: result.code || "", message: result.message || "",
      rules: result.rules || [], details: result.details || null, answered_at: new Date().toISOString() };
    if (REFUSED.has(status)) tx.objectStore("attention").put({ ...queued, ...answer });
    await this.#journalUpdate(tx, result.id, answer);
    await finished(tx);
    return DONE.has(status) ? "done" : "refused";
  }

  async dismiss(id) {
    const tx = this.db.transaction(["attention", "journal"], "readwrite");
    tx.objectStore("attention").delete(id);
    await this.#journalUpdate(tx, id, { dismissed: true });
    await finished(tx);
  }

  // A retry sends the very same operation (same id, kind, time and data) again, in its old place.
  async retry(id) {
    const tx = this.db.transaction(["attention", "outbox", "journal"], "readwrite");
    const attention = tx.objectStore("attention");
    const entry = await promised(attention.get(id));
    if (entry) {
      attention.delete(id);
      const { id: opId, kind, at, data, seq, created_at: createdAt, stop } = entry;
      const queued = { id: opId, kind, at, data, seq, created_at: createdAt, stop, status: "pending" };
      tx.objectStore("outbox").put(queued);
      await this.#journalUpdate(tx, id, { status: "pending", code: "", message: "", rules: [], details: null,
        retried_at: new Date().toISOString() });
    }
    await finished(tx);
  }

  async annotate(id, changes) {
    const tx = this.db.transaction("journal", "readwrite");
    await this.#journalUpdate(tx, id, changes);
    await finished(tx);
  }

  // Journal entries of earlier days are of no use to the phone once they are settled.
  async prune(keepSince) {
    const tx = this.db.transaction("journal", "readwrite");
    const journal = tx.objectStore("journal");
    const entries = await promised(journal.getAll());
    for (const entry of entries) {
      if (entry.status !== "pending" && entry.created_at < keepSince) journal.delete(entry.id);
    }
    await finished(tx);
  }
}

// Send the queue to the server, oldest first, at most BATCH operations a request, and file each
// answer. A network failure or an error page leaves everything queued for the next attempt.
export async function flushOutbox(store, { syncUrl, csrfToken, fetchImpl = fetch }) {
  const summary = { sent: 0, done: 0, refused: 0, results: [], error: null, httpStatus: 0 };
  for (let round = 0; round < 20; round += 1) {
    const queued = (await store.queued()).slice(0, BATCH);
    if (!queued.length) break;
    const operations = queued.map(({ id, kind, at, data }) => ({ id, kind, at, data }));
    let response;
    try {
      response = await fetchImpl(syncUrl, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ operations }),
      });
    } catch (error) {
      summary.error = "network";
      break;
    }
    summary.httpStatus = response.status;
    if (!response.ok) {
      summary.error = response.status === 401 || response.status === 403 ? "session" : "server";
      break;
    }
    let body;
    try {
      body = await response.json();
    } catch (error) {
      summary.error = "server";
      break;
    }
    let progressed = false;
    for (const result of body.results || []) {
      const outcome = await store.settle(result);
      if (outcome === "done") summary.done += 1;
      if (outcome === "refused") summary.refused += 1;
      if (outcome !== "unknown") progressed = true;
      summary.results.push(result);
    }
    summary.sent += operations.length;
    if (!progressed) break;
  }
  return summary;
}
