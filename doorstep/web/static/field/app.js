// Doorstep field app: the collector's day and the guided visit, one-handed, online or not.
//
// Every write is an operation (docs/field-app.md) stored in IndexedDB before anything else, shown
// at once, then sent to /api/v1/field/sync/ in order. The server is authoritative: what it refuses
// goes to the "needs attention" panel with its message and rule ids and is never dropped silently.
// The screen is a function of three things: the day's route from the server (cached for offline
// use), this phone's journal of operations, and a few local choices (drafts, the selected step).

import { FieldStore, flushOutbox, newOperation } from "./outbox.js";
import { SignaturePad } from "./signature.js";

const config = JSON.parse(document.getElementById("field-config").textContent);
const STRINGS = config.strings;
const LABELS = config.labels;
const label = (group, code) => (LABELS[group] && LABELS[group][code]) || code;
const CHINESE = String(config.language || "").toLowerCase().startsWith("zh");
const ME = config.user.id;
const ALIVE = new Set(["pending", "applied", "replayed"]);
const APPLIED = new Set(["applied", "replayed"]);
const REFUSED = new Set(["rejected", "conflict", "forbidden"]);
const FLUSH_EVERY_MS = 20000;
// A request on a weak signal can hang without failing; after this it is abandoned and retried
// (a write that did arrive is answered "replayed" the next time).
const REQUEST_TIMEOUT_MS = 15000;
const TICK_MS = 5000;
const WAITING_REFRESH_MS = 10000;
const PLAN_POLL_MS = 10000;
// While the app is open on a working day, the team's position reaches the supervisor's board this
// often (a queued operation like any other: it waits for the network when there is none).
const POSITION_EVERY_MS = 5 * 60 * 1000;
const CLOSING_OUTCOMES = ["met", "not_home", "refused", "unsafe"];
// With a third person, or nobody, the debt is not discussed (the PARTIES_MET hints).
const QUIET_PARTIES = new Set(["nobody", "contact"]);
const STATUS_RANK = { none: 0, checking_in: 1, in_progress: 2, closed: 3 };
const STEP_KINDS = {
  check_in: ["check_in"], id_shown: ["id_shown"], entry: ["entry"], met: ["met"], reason: ["reason"],
  finances: ["finances"],
  outcomes: ["promise", "plan_propose", "plan_sign", "payment_request", "cash_receipt", "dispute", "complaint"],
  check_out: ["check_out"], recording: ["recording_add"], close: ["close", "asked_to_leave", "tension"],
};
const KIND_LABELS = {
  check_in: "step_check_in", id_shown: "step_id_shown", entry: "step_entry", met: "step_met", reason: "step_reason",
  finances: "step_finances", tension: "tension", asked_to_leave: "askedToLeave", promise: "promise",
  plan_propose: "plan", plan_sign: "sign", payment_request: "payment", cash_receipt: "cash", dispute: "dispute", complaint: "complaint",
  recording_add: "step_recording", check_out: "step_check_out", close: "step_close", sos: "sos", position: "position",
};

const state = {
  store: null,
  today: null,
  savedAt: null,
  offlineCopy: false,
  loaded: false,
  loadError: "",
  journal: [],
  attention: [],
  pending: 0,
  networkFailed: false,
  session: true,
  drafts: {},
  ui: {},
  selected: {},
  outcomeForm: {},
  briefOpen: {},
  notices: {},
  busy: {},
  plans: {},
  pads: new Map(),
  lastFix: null,
  sos: null,
  lastFlushAt: 0,
  lastTodayAt: 0,
  lastPlanPollAt: 0,
  lastPositionAt: Date.now(),
};
let flushing = null;
let flushAgain = false;
const inFlight = new Set();

// --- small helpers ------------------------------------------------------------------------------

function t(key, values = {}) {
  let text = STRINGS[key] ?? key;
  for (const [name, value] of Object.entries(values)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "test") element.setAttribute("data-test", value);
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "value") element.value = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  appendAll(element, children);
  return element;
}

function appendAll(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function timedFetch(url, options = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  inFlight.add(controller);
  return fetch(url, { ...options, signal: controller.signal }).finally(() => {
    clearTimeout(timer);
    inFlight.delete(controller);
  });
}

function isOnline() {
  return navigator.onLine && !state.networkFailed;
}

function csrfToken() {
  const match = document.cookie.split(";").map((part) => part.trim()).find((part) => part.startsWith("csrftoken="));
  return match ? decodeURIComponent(match.slice("csrftoken=".length)) : config.csrfToken;
}

function clock(iso, timeZone) {
  if (!iso) return "";
  const options = { hour: "2-digit", minute: "2-digit", hour12: false };
  if (timeZone) options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(config.language, options).format(new Date(iso));
  } catch (error) {
    return new Date(iso).toISOString().slice(11, 16);
  }
}

function dateTime(iso, timeZone) {
  if (!iso) return "";
  const options = { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false };
  if (timeZone) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(config.language, options).format(new Date(iso));
}

function savedLabel(iso) {
  if (!iso) return "";
  const saved = new Date(iso);
  const sameDay = saved.toDateString() === new Date().toDateString();
  return sameDay ? clock(iso) : dateTime(iso);
}

function money(amount, currency) {
  if (amount === null || amount === undefined || amount === "") return "";
  try {
    return new Intl.NumberFormat(config.language, { style: "currency", currency: currency || "CNY" })
      .format(Number(amount));
  } catch (error) {
    return `${amount} ${currency || ""}`.trim();
  }
}

// A decimal string with at most two places, as the server wants it ("1250.00"), or null.
function decimal(raw) {
  const text = String(raw ?? "").trim().replace(/[,，\s]/g, "").replace(/^[¥￥$£€]/, "");
  return /^\d+(\.\d{1,2})?$/.test(text) ? text : null;
}

function cents(raw) {
  const text = decimal(raw);
  if (text === null) return null;
  const [whole, fraction = ""] = text.split(".");
  return Number(whole) * 100 + Number(`${fraction}00`.slice(0, 2));
}

function fromCents(value) {
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, "0")}`;
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function parseDay(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

function addDays(text, days) {
  const day = parseDay(text);
  if (!day) return "";
  day.setUTCDate(day.getUTCDate() + days);
  return isoDay(day);
}

// The same rule as the server: keep the day of the month, clamped to the month's end.
function addMonths(text, months) {
  const day = parseDay(text);
  if (!day) return "";
  const index = day.getUTCMonth() + months;
  const year = day.getUTCFullYear() + Math.floor(index / 12);
  const month = ((index % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return isoDay(new Date(Date.UTC(year, month, Math.min(day.getUTCDate(), last))));
}

function localToday() {
  return state.today?.day || isoDay(new Date());
}

// Equal installments in cents, the odd cents on the first ones (the server recomputes and decides).
function planPreview({ total, count, interval, firstDue, downPayment }) {
  const totalCents = cents(total);
  const downCents = downPayment === "" || downPayment === undefined ? 0 : cents(downPayment);
  const number = Number(count);
  if (totalCents === null || downCents === null || !Number.isInteger(number) || number < 1 || number > 60) return null;
  if (!parseDay(firstDue) || downCents >= totalCents) return null;
  const rest = totalCents - downCents;
  if (rest < number) return null;
  const base = Math.floor(rest / number);
  const extra = rest % number;
  const rows = [];
  if (downCents > 0) rows.push({ seq: 0, due: localToday(), amount: fromCents(downCents) });
  for (let index = 0; index < number; index += 1) {
    let due = firstDue;
    if (interval === "monthly") due = addMonths(firstDue, index);
    else due = addDays(firstDue, index * (interval === "biweekly" ? 14 : 7));
    rows.push({ seq: index + 1, due, amount: fromCents(base + (index < extra ? 1 : 0)) });
  }
  return rows;
}

function draft(key, fallback = "") {
  return Object.prototype.hasOwnProperty.call(state.drafts, key) ? state.drafts[key] : fallback;
}

function clearDrafts(prefix) {
  for (const key of Object.keys(state.drafts)) if (key.startsWith(prefix)) delete state.drafts[key];
}

function input(key, attributes = {}, fallback = "") {
  return h("input", { ...attributes, "data-draft": key, value: draft(key, fallback) });
}

function kindLabel(kind) {
  return t(KIND_LABELS[kind] || kind);
}

// --- the day -------------------------------------------------------------------------------------

function stopRows() {
  const rows = [];
  for (const route of state.today?.routes || []) for (const stop of route.stops) rows.push({ stop, route });
  return rows;
}

function findStop(id) {
  return stopRows().find((row) => row.stop.stop === Number(id)) || null;
}

function stopName(row) {
  return `${row.stop.sequence}. ${row.stop.brief.name_masked || row.stop.brief.borrower}`;
}

function journalFor(stopId) {
  return state.journal.filter((entry) => entry.stop !== null && Number(entry.stop) === Number(stopId));
}

// The visit as this phone sees it: the server's state, plus this phone's operations not yet
// answered (optimistic), minus those the server refused.
function derive(row) {
  const { stop } = row;
  const server = stop.visit || null;
  const ops = journalFor(stop.stop);
  const alive = (kind) => ops.filter((op) => op.kind === kind && ALIVE.has(op.status));
  const last = (kind) => {
    const list = alive(kind);
    return list.length ? list[list.length - 1] : null;
  };
  const steps = server?.steps || {};
  const checkedIn = new Set(server?.checked_in || []);
  const checkedOut = new Set(server?.checked_out || []);
  const myCheckIn = last("check_in");
  const myCheckOut = last("check_out");
  let status = server?.status || "none";
  let needed = String(stop.jurisdiction || "CN").toUpperCase().startsWith("CN") ? 2 : 1;
  for (const op of ops) {
    const visit = APPLIED.has(op.status) && op.result ? op.result.visit : null;
    if (!visit) continue;
    if (visit.team_needed) needed = visit.team_needed;
    if (STATUS_RANK[visit.status] > STATUS_RANK[status]) status = visit.status;
    for (const id of visit.checked_in || []) checkedIn.add(id);
    for (const id of visit.checked_out || []) checkedOut.add(id);
  }
  if (myCheckIn) checkedIn.add(ME);
  if (myCheckOut) checkedOut.add(ME);
  const closeOp = last("close");
  const closed = status === "closed" || Boolean(closeOp && APPLIED.has(closeOp.status));
  const started = status === "in_progress" || status === "closed" || checkedIn.size >= needed;
  const ui = state.ui[stop.stop] || {};
  const metOp = last("met");
  const met = metOp ? metOp.data.party : steps.met || "";
  const reasonOp = last("reason");
  const tensionOp = last("tension");
  const askedToLeave = Boolean(steps.asked_to_leave || last("asked_to_leave"));
  const recordings = ops.filter((op) => op.kind === "recording_add");
  return {
    row, stop, server, ops, alive, last, status, needed, checkedIn, checkedOut, started, myCheckIn, myCheckOut,
    meIn: checkedIn.has(ME), meOut: checkedOut.has(ME),
    provisional: !started && Boolean(myCheckIn && myCheckIn.status === "pending"),
    idShown: Boolean(steps.id_shown || last("id_shown")),
    entry: Boolean(steps.entry || last("entry")),
    met,
    reason: reasonOp ? reasonOp.data.reason : steps.reason || "",
    finances: Boolean(steps.finances || last("finances") || ui.financesSkipped),
    outcomesDone: Boolean(ui.outcomesDone),
    askedToLeave,
    tensionOp,
    tensionLevel: tensionOp ? tensionOp.data.level : steps.tension ?? null,
    recordings,
    hasRecording: (steps.recordings || 0) > 0 || recordings.some((op) => ALIVE.has(op.status)),
    closed,
    closing: !closed && Boolean(closeOp && closeOp.status === "pending"),
    quiet: QUIET_PARTIES.has(met) || askedToLeave,
    recordingStart: myCheckIn ? myCheckIn.at : server?.started_at || null,
    pendingHere: ops.some((op) => op.status === "pending"),
  };
}

function steps(visit) {
  const talking = (visit.started || visit.provisional) && visit.meIn && !visit.meOut && !visit.closed;
  const leaving = visit.askedToLeave;
  const list = [
    { key: "check_in", done: visit.meIn, enabled: !visit.closed && !visit.meIn },
    { key: "id_shown", done: visit.idShown, enabled: talking && !leaving && !visit.idShown },
    { key: "entry", done: visit.entry, enabled: talking && !leaving && visit.idShown && !visit.entry },
    { key: "met", done: Boolean(visit.met), enabled: talking && !leaving && visit.entry && !visit.met },
    { key: "reason", done: Boolean(visit.reason), enabled: talking && !visit.quiet && Boolean(visit.met) },
    { key: "finances", done: visit.finances, enabled: talking && !visit.quiet && Boolean(visit.reason) },
    { key: "outcomes", done: visit.outcomesDone, enabled: talking && !visit.quiet && visit.finances },
    { key: "check_out", done: visit.meOut, enabled: visit.meIn && !visit.meOut && !visit.closed },
    { key: "recording", done: visit.hasRecording, enabled: visit.meOut && !visit.closed },
    { key: "close", done: visit.closed, enabled: visit.meOut && !visit.closed && !visit.closing },
  ];
  for (const step of list) {
    const conversation = ["id_shown", "entry", "met", "reason", "finances", "outcomes"].includes(step.key);
    step.skipped = !step.done && conversation && (leaving || (visit.quiet && !["id_shown", "entry", "met"]
      .includes(step.key)) || visit.meOut || visit.closed);
  }
  const current = list.find((step) => !step.done && !step.skipped) || null;
  for (const step of list) {
    if (step.done) step.state = "done";
    else if (step.skipped) step.state = "skipped";
    else if (step === current) step.state = step.enabled ? "current" : "waiting";
    else step.state = step.enabled ? "open" : "locked";
  }
  const wanted = list.find((step) => step.key === state.selected[visit.stop.stop] && step.enabled);
  return { list, current, selected: wanted || (current && current.enabled ? current : null) };
}

// --- storage, network ----------------------------------------------------------------------------

async function reloadLocal() {
  const [journal, attention, pending] = await Promise.all([state.store.journal(), state.store.attention(),
    state.store.pendingCount()]);
  state.journal = journal;
  state.attention = attention;
  state.pending = pending;
}

async function useSaved(fallbackPayload, fallbackDate, { offline = true } = {}) {
  const saved = await state.store.getRoute();
  if (saved) {
    state.today = saved.payload;
    state.savedAt = saved.saved_at;
  } else if (fallbackPayload) {
    state.today = fallbackPayload;
    state.savedAt = fallbackDate ? new Date(fallbackDate).toISOString() : null;
  }
  // A lapsed session is not "offline": its own banner says what to do.
  state.offlineCopy = offline && Boolean(state.today);
}

async function loadToday() {
  let response = null;
  try {
    response = await timedFetch(config.urls.today, { credentials: "same-origin", cache: "no-store",
      headers: { Accept: "application/json" } });
  } catch (error) {
    response = null;
  }
  state.lastTodayAt = Date.now();
  state.loadError = "";
  if (response && response.ok) {
    const payload = await response.json();
    if (response.headers.get("X-Doorstep-Cache") === "offline") {
      state.networkFailed = true;
      await useSaved(payload, response.headers.get("Date"));
    } else {
      const saved = await state.store.putRoute(payload);
      state.today = payload;
      state.savedAt = saved.saved_at;
      state.offlineCopy = false;
      state.networkFailed = false;
      state.session = true;
    }
  } else {
    if (!response) state.networkFailed = true;
    else if (response.status === 401 || response.status === 403) state.session = false;
    else state.loadError = t("loadFailed", { message: response.status });
    await useSaved(null, null, { offline: !response });
  }
  state.loaded = true;
  render();
}

async function runFlush() {
  try {
    do {
      flushAgain = false;
      if (!navigator.onLine) break;
      state.lastFlushAt = Date.now();
      const summary = await flushOutbox(state.store, { syncUrl: config.urls.sync, csrfToken,
        fetchImpl: timedFetch });
      if (summary.error === "network") state.networkFailed = true;
      else if (summary.error === "session") state.session = false;
      else if (summary.sent) {
        state.networkFailed = false;
        state.session = true;
      }
      await reloadLocal();
      render();
      if (summary.done || summary.refused) await loadToday();
    } while (flushAgain);
  } finally {
    flushing = null;
  }
}

// One flush at a time; a call during a flush asks for another round. The run starts in a later
// microtask, so `flushing` is set before the run can clear it.
function flush() {
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  flushing = Promise.resolve().then(runFlush);
  return flushing;
}

// `meta.stop` files an operation whose data names no stop (a plan's signature) under its visit.
async function record(kind, data, meta = {}) {
  const operation = newOperation(kind, data);
  await state.store.enqueue(operation, meta);
  await reloadLocal();
  render();
  flush();
  return operation;
}

function locate({ timeout = 20000, maximumAge = 0 } = {}) {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error("geolocation unavailable"));
      return;
    }
    navigator.geolocation.getCurrentPosition((position) => {
      const fix = { lat: position.coords.latitude, lon: position.coords.longitude,
        accuracy: position.coords.accuracy, at: new Date(position.timestamp || Date.now()).toISOString() };
      state.lastFix = fix;
      state.store.putSetting("lastFix", fix);
      resolve(fix);
    }, (error) => reject(new Error(error.message || `error ${error.code}`)),
    { enableHighAccuracy: true, timeout, maximumAge });
  });
}

function notice(stopId, text) {
  state.notices[stopId] = text;
  render();
}

function setBusy(stopId, what) {
  if (what) state.busy[stopId] = what;
  else delete state.busy[stopId];
  render();
}

async function saveUi(stopId, changes) {
  state.ui[stopId] = { ...(state.ui[stopId] || {}), ...changes };
  await state.store.putSetting("ui", state.ui);
  render();
}

// --- actions -------------------------------------------------------------------------------------

async function positionOperation(visit, kind) {
  const stopId = visit.stop.stop;
  setBusy(stopId, kind);
  state.notices[stopId] = t("locating");
  render();
  let fix;
  try {
    fix = await locate();
  } catch (error) {
    setBusy(stopId, null);
    notice(stopId, t("noPosition", { message: error.message }));
    return;
  }
  delete state.notices[stopId];
  setBusy(stopId, null);
  await record(kind, { stop: stopId, lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy, mocked: false });
}

async function reportPosition() {
  try {
    const fix = await locate({ timeout: 15000, maximumAge: 60000 });
    await record("position", { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy, mocked: false });
  } catch (error) {
    // No fix now (indoors, permission withdrawn): the next report tries again; nothing is owed.
  }
}

async function showId(visit) {
  const stopId = visit.stop.stop;
  const mandate = String(draft(`${stopId}:mandate`)).trim();
  if (!mandate) return notice(stopId, t("mandateMissing"));
  delete state.notices[stopId];
  await record("id_shown", { stop: stopId, mandate_number: mandate });
}

async function saveReason(visit) {
  const stopId = visit.stop.stop;
  const reason = draft(`${stopId}:reason`);
  if (!reason) return notice(stopId, t("chooseReason"));
  delete state.notices[stopId];
  await record("reason", { stop: stopId, reason, note: String(draft(`${stopId}:reason-note`)).trim() });
}

async function saveFinances(visit) {
  const stopId = visit.stop.stop;
  const income = decimal(draft(`${stopId}:income`));
  const expenses = decimal(draft(`${stopId}:expenses`));
  if (income === null || expenses === null) return notice(stopId, t("financesMissing"));
  delete state.notices[stopId];
  await record("finances", { stop: stopId, monthly_income: income, monthly_expenses: expenses });
}

async function sendTension(visit, level) {
  await record("tension", { stop: visit.stop.stop, level, note: "" });
}

async function recordPromise(visit) {
  const stopId = visit.stop.stop;
  const amount = decimal(draft(`${stopId}:promise-amount`));
  const due = draft(`${stopId}:promise-due`, addDays(localToday(), 7));
  if (amount === null || !parseDay(due)) return notice(stopId, t("amountMissing"));
  delete state.notices[stopId];
  clearDrafts(`${stopId}:promise-`);
  await record("promise", { stop: stopId, amount, due_on: due });
}

function planFields(stopId) {
  return {
    total: draft(`${stopId}:plan-total`),
    count: draft(`${stopId}:plan-count`, "6"),
    interval: draft(`${stopId}:plan-interval`, "monthly"),
    firstDue: draft(`${stopId}:plan-first`, addMonths(localToday(), 1)),
    downPayment: draft(`${stopId}:plan-down`, "0"),
  };
}

async function proposePlan(visit) {
  const stopId = visit.stop.stop;
  const fields = planFields(stopId);
  const rows = planPreview(fields);
  if (!rows) return notice(stopId, t("amountMissing"));
  delete state.notices[stopId];
  clearDrafts(`${stopId}:plan-`);
  await record("plan_propose", { stop: stopId, total: decimal(fields.total), count: Number(fields.count),
    interval: fields.interval, first_due_on: fields.firstDue, down_payment: decimal(fields.downPayment || "0") || "0",
    language: CHINESE ? "zh-hans" : "en" });
}

function padFor(proposeId) {
  if (!state.pads.has(proposeId)) {
    const pad = new SignaturePad({ label: t("signHere") });
    state.pads.set(proposeId, pad);
  }
  return state.pads.get(proposeId);
}

async function signPlan(visit, propose) {
  const stopId = visit.stop.stop;
  const pad = padFor(propose.id);
  const name = String(draft(`${stopId}:signer-${propose.id}`)).trim();
  if (pad.empty || !name) return notice(stopId, t("signatureMissing"));
  delete state.notices[stopId];
  await record("plan_sign", { plan_op: propose.id, signer_name: name, signature_png: pad.toDataURL() },
    { stop: stopId });
}

async function requestPayment(visit) {
  const stopId = visit.stop.stop;
  if (!isOnline()) return notice(stopId, t("paymentOffline"));
  const amount = decimal(draft(`${stopId}:payment-amount`));
  if (amount === null) return notice(stopId, t("amountMissing"));
  delete state.notices[stopId];
  clearDrafts(`${stopId}:payment-`);
  await record("payment_request", { stop: stopId, amount });
}

async function recordCash(visit) {
  const stopId = visit.stop.stop;
  const amount = decimal(draft(`${stopId}:cash-amount`));
  if (amount === null) return notice(stopId, t("amountMissing"));
  const receipt = String(draft(`${stopId}:cash-receipt`)).trim();
  if (!receipt) return notice(stopId, t("receiptMissing"));
  delete state.notices[stopId];
  clearDrafts(`${stopId}:cash-`);
  await record("cash_receipt", { stop: stopId, amount, receipt_number: receipt });
}

async function recordText(visit, kind, field, key) {
  const stopId = visit.stop.stop;
  const text = String(draft(`${stopId}:${key}`)).trim();
  if (!text) return notice(stopId, t("textMissing"));
  delete state.notices[stopId];
  clearDrafts(`${stopId}:${key}`);
  await record(kind, { stop: stopId, [field]: text });
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function attachFile(visit, file) {
  const stopId = visit.stop.stop;
  if (!file) return;
  if (file.size > config.largestHashedFile) return notice(stopId, t("fileTooLarge"));
  setBusy(stopId, "hashing");
  let digest;
  try {
    digest = hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
  } catch (error) {
    setBusy(stopId, null);
    return notice(stopId, `${t("fileTooLarge")} (${error.message})`);
  }
  setBusy(stopId, null);
  await attachRecording(visit, { reference: file.name, sha256: digest, size_bytes: file.size });
}

async function attachTyped(visit) {
  const stopId = visit.stop.stop;
  const reference = String(draft(`${stopId}:recording-reference`)).trim();
  const sha = String(draft(`${stopId}:recording-sha256`)).trim().toLowerCase();
  if (!reference) return notice(stopId, t("textMissing"));
  if (!/^[0-9a-f]{64}$/.test(sha)) return notice(stopId, t("shaInvalid"));
  clearDrafts(`${stopId}:recording-`);
  await attachRecording(visit, { reference, sha256: sha });
}

async function attachRecording(visit, { reference, sha256, size_bytes: size }) {
  const stopId = visit.stop.stop;
  delete state.notices[stopId];
  // The recording started at check-in (the screen said so); it ends now, after check-out.
  const data = { stop: stopId, reference, sha256, starts_at: visit.recordingStart, ends_at: new Date().toISOString() };
  if (size !== undefined) data.size_bytes = size;
  await record("recording_add", data);
}

async function closeVisit(visit, outcome) {
  state.selected[visit.stop.stop] = "close";
  await record("close", { stop: visit.stop.stop, outcome });
}

async function raiseSos() {
  const match = /^#\/stop\/(\d+)/.exec(location.hash);
  const row = match ? findStop(match[1]) : null;
  state.sos = { state: "locating" };
  render();
  let fix = null;
  let approximate = false;
  try {
    fix = await locate({ timeout: 8000, maximumAge: 60000 });
  } catch (error) {
    fix = state.lastFix;
  }
  if (!fix) {
    // No fix at all: the stop's address (or the day's first address) tells the supervisor where to look.
    const place = row || stopRows().find((each) => each.stop.brief.lat !== null);
    if (place && place.stop.brief.lat !== null) {
      fix = { lat: place.stop.brief.lat, lon: place.stop.brief.lon, accuracy: null, at: new Date().toISOString() };
      approximate = true;
    }
  }
  const data = fix ? { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy } : null;
  let operation = null;
  if (data) {
    if (row) data.stop = row.stop.stop;
    operation = newOperation("sos", data);
    await state.store.enqueue(operation);
    await reloadLocal();
    render();
    await flush();
  }
  const entry = operation ? state.journal.find((each) => each.id === operation.id) : null;
  const sent = Boolean(entry && APPLIED.has(entry.status));
  const phone = state.today?.sos_phone || "";
  let sms = null;
  if (!sent && phone) {
    const body = t("sosSmsBody", { user: config.user.name, lat: fix ? fix.lat.toFixed(6) : "?",
      lon: fix ? fix.lon.toFixed(6) : "?", accuracy: fix && fix.accuracy ? Math.round(fix.accuracy) : "?",
      time: clock(new Date().toISOString()) });
    sms = `sms:${phone}?body=${encodeURIComponent(body)}`;
  }
  state.sos = { state: sent ? "sent" : "queued", sms, approximate };
  render();
}

// --- rendering -----------------------------------------------------------------------------------

function renderHeader() {
  const pending = document.getElementById("pending");
  pending.textContent = String(state.pending);
  pending.dataset.count = String(state.pending);
  pending.title = t("toSync", { n: state.pending });
  pending.classList.toggle("has-pending", state.pending > 0);
  const net = document.getElementById("net");
  const online = isOnline();
  net.dataset.state = online ? "online" : "offline";
  net.textContent = online ? t("online") : t("offline");
}

function renderBanners() {
  const banners = document.getElementById("banners");
  const items = [];
  if (state.sos) {
    const text = { locating: t("sosSending"), sent: t("sosSent"), queued: t("sosQueued") }[state.sos.state];
    items.push(h("div", { class: `banner sos-banner ${state.sos.state}`, test: "sos-status",
      "data-state": state.sos.state,
      role: "alert" }, text, state.sos.approximate ? h("div", {}, t("sosApproximate")) : null,
    state.sos.sms ? h("a", { class: "button danger", href: state.sos.sms, test: "sos-sms" }, t("sosSms")) : null,
    state.sos.state !== "locating" ? h("button", { type: "button", class: "link", onclick: () => {
      state.sos = null;
      render();
    } }, t("dismiss")) : null));
  }
  if (!state.session) {
    items.push(h("div", { class: "banner warn", test: "session-banner", role: "alert" }, t("sessionEnded"), " ",
      h("a", { href: config.urls.login }, t("logIn"))));
  }
  if (state.offlineCopy && state.savedAt) {
    items.push(h("div", { class: "banner offline", test: "offline-banner" },
      t("savedAt", { time: savedLabel(state.savedAt) })));
  } else if (state.loaded && !state.today) {
    items.push(h("div", { class: "banner offline", test: "offline-banner" }, t("noSavedRoute")));
  }
  const certificate = state.today?.certificate;
  if (certificate && !certificate.plannable) {
    items.push(h("div", { class: "banner warn", test: "certificate-banner", role: "alert" }, t("certificateMissing"),
      " ", h("a", { href: config.urls.training }, t("openTraining"))));
  } else if (certificate && certificate.days_left !== null && certificate.days_left <= 30) {
    items.push(h("div", { class: "banner warn", test: "certificate-banner" },
      t("certificateExpires", { date: certificate.expires_on }), " ",
      h("a", { href: config.urls.training }, t("openTraining"))));
  }
  if (state.loadError) items.push(h("div", { class: "banner warn" }, state.loadError));
  banners.replaceChildren(...items);
}

function attentionPanel() {
  if (!state.attention.length) return null;
  const rowsById = new Map(stopRows().map((row) => [row.stop.stop, row]));
  return h("section", { class: "attention", test: "attention", "data-count": state.attention.length },
    h("h2", {}, t("attention"), " ", h("span", { class: "badge" }, state.attention.length)),
    h("p", { class: "muted" }, t("attentionHelp")),
    state.attention.length > 1 ? h("button", { type: "button", class: "button", test: "attention-retry-all",
      onclick: async () => {
        for (const entry of state.attention) await state.store.retry(entry.id);
        await reloadLocal();
        render();
        flush();
      } }, t("retryAll")) : null,
    h("ul", {}, state.attention.map((entry) => {
      const row = entry.stop !== null ? rowsById.get(Number(entry.stop)) : null;
      return h("li", { test: "attention-item", "data-kind": entry.kind, "data-status": entry.status,
        "data-stop": entry.stop ?? "", "data-op": entry.id },
      h("div", { class: "attention-head" }, h("strong", {}, kindLabel(entry.kind)), row ? ` · ${stopName(row)}` : "",
        h("span", { class: `chip ${entry.status}` }, t(`op_${entry.status}`))),
      h("p", { test: "attention-message" }, entry.message || entry.code),
      ruleList(entry.rules),
      h("div", { class: "row" },
        h("button", { type: "button", class: "button", test: "attention-retry", onclick: async () => {
          await state.store.retry(entry.id);
          await reloadLocal();
          render();
          flush();
        } }, t("retry")),
        h("button", { type: "button", class: "button quiet", test: "attention-dismiss", onclick: async () => {
          await state.store.dismiss(entry.id);
          await reloadLocal();
          render();
        } }, t("dismiss"))));
    })));
}

function ruleList(rules) {
  if (!rules || !rules.length) return null;
  return h("ul", { class: "rules", "aria-label": t("rules") },
    rules.map((rule) => h("li", { test: "rule", "data-rule": rule }, rule)));
}

function statusOf(visit) {
  if (visit.closed) return "closed";
  return visit.status === "none" && visit.meIn ? "checking_in" : visit.status;
}

function navigation(stop) {
  const links = stop.brief.navigation || {};
  if (!links.geo && !links.amap) return null;
  return h("div", { class: "nav-links" },
    links.geo ? h("a", { class: "button", href: links.geo, test: "nav-geo" }, "➤ ", t("navigate")) : null,
    links.amap ? h("a", { class: "button", href: links.amap, test: "nav-amap", target: "_blank", rel: "noopener" },
      t("amap")) : null);
}

function renderList() {
  const rows = stopRows();
  const views = rows.map(derive);
  const closed = views.filter((visit) => visit.closed).length;
  const total = rows.length;
  const parts = [attentionPanel()];
  if (!state.today) {
    parts.push(h("p", { class: "muted" }, state.loaded ? t("noSavedRoute") : t("loading")));
    return parts;
  }
  parts.push(h("section", { class: "progress", test: "progress", "data-closed": closed, "data-total": total },
    h("div", { class: "progress-text" }, t("progress", { closed, total })),
    h("div", { class: "bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": total, "aria-valuenow": closed },
      h("span", { style: `width: ${total ? (100 * closed) / total : 0}%` }))));
  if (!rows.length) parts.push(h("p", { class: "muted", test: "no-routes" }, t("noRoutes")));
  parts.push(h("ol", { class: "stops" }, views.map((visit) => {
    const { stop, route } = visit.row;
    const flags = stop.brief.safety_flags || [];
    const status = statusOf(visit);
    return h("li", { class: `stop ${status}`, test: "stop", "data-stop": stop.stop, "data-status": status },
      h("a", { class: "stop-main", href: `#/stop/${stop.stop}`, test: "stop-open" },
        h("span", { class: "seq" }, stop.sequence),
        h("span", { class: "stop-text" },
          h("strong", {}, stop.brief.name_masked || stop.brief.borrower),
          flags.length ? h("span", { class: "flag", test: "stop-flag", title: t("flags") }, "⚠ ", flags.map((flag) => label("flags", flag)).join(", "))
            : null,
          h("span", { class: "line" }, t("window", { start: clock(stop.start_at, route.timezone),
            end: clock(stop.end_at, route.timezone) })),
          h("span", { class: "line" },
            `${stop.brief.bucket} · ${money(stop.brief.collectible_amount, stop.brief.currency)}`),
          h("span", { class: `chip ${status}` }, t(`status_${status}`),
            visit.pendingHere ? ` · ${t("status_pending")}` : ""))),
      navigation(stop));
  })));
  return parts;
}

function brief(visit) {
  const { stop } = visit.row;
  const data = stop.brief;
  const open = state.briefOpen[stop.stop] ?? !visit.meIn;
  // A details element built open fires "toggle" too: only a change from how it was built is the user's.
  const detail = h("details", { class: "brief card", test: "brief", open: open || null,
    ontoggle: (event) => {
      if (event.target.open !== open) state.briefOpen[stop.stop] = event.target.open;
    } },
  h("summary", {}, t("brief")),
  h("dl", {},
    [["borrower", data.borrower], ["name", data.name_masked], ["nationalId", data.national_id_masked],
      ["phone", data.phone_masked], ["address", data.address], ["language", data.language],
      ["bucket", `${data.bucket} · ${t("daysPastDue", { n: data.dpd })}`],
      ["collectible", money(data.collectible_amount, data.currency)],
      ["overdue", money(data.overdue_amount, data.currency)]]
      .map(([key, value]) => [h("dt", {}, t(key)), h("dd", { test: `brief-${key}` }, value || "—")])),
  h("h3", {}, t("lastContacts")),
  data.last_contacts && data.last_contacts.length
    ? h("ul", { class: "plain", test: "last-contacts" }, data.last_contacts.map((contact) => h("li", {},
      `${dateTime(contact.at, visit.row.route.timezone)} · ${label("channels", contact.channel)} · `,
      h("span", { "data-outcome": contact.outcome }, label("outcomes", contact.outcome)))))
    : h("p", { class: "muted" }, t("none")),
  h("h3", {}, t("states")),
  data.states && data.states.length
    ? h("p", {}, data.states.map((item) => h("span", { class: "chip warn", test: "state" }, item)))
    : h("p", { class: "muted" }, t("none")),
  h("h3", {}, t("requirements")),
  h("ul", { class: "requirements", test: "requirements" }, (data.requirements || []).map((item) =>
    h("li", { "data-rule": item.rule }, h("strong", {}, item.rule), " ", CHINESE ? item.zh : item.en))));
  return detail;
}

function teamCard(visit) {
  if (!visit.meIn || visit.closed) return null;
  const parts = [h("p", { class: "team-count" }, t("teamCount", { n: visit.checkedIn.size, needed: visit.needed }))];
  if (visit.recordingStart) {
    parts.push(h("p", { class: "recording-note", test: "recording-since" }, "● ",
      t("recordingSince", { time: clock(visit.recordingStart) })));
  }
  if (!visit.started) {
    parts.push(h("p", { class: "waiting", test: "waiting" }, t("waitingPartner", { needed: visit.needed })));
    if (visit.provisional) parts.push(h("p", { class: "muted" }, t("offlineStart")));
  }
  parts.push(h("button", { type: "button", class: "button", test: "refresh", onclick: () => {
    loadToday();
    flush();
  } }, "↻ ", t("refresh")));
  return h("section", { class: "card team", test: "team-count", "data-checked-in": visit.checkedIn.size,
    "data-needed": visit.needed, "data-started": visit.started ? "yes" : "no" }, parts);
}

function promptsCard(visit) {
  if (visit.tensionLevel === null || visit.tensionLevel === undefined || visit.closed || visit.meOut) return null;
  const level = Number(visit.tensionLevel);
  const op = visit.tensionOp;
  let prompts = LABELS.tension[level] ? LABELS.tension[level].prompts : [];
  if (op && APPLIED.has(op.status) && op.result) {
    prompts = (CHINESE ? op.result.prompts_zh : op.result.prompts_en) || prompts;
  }
  return h("section", { class: `card prompts level-${level}`, test: "prompts", "data-level": level, role: "status" },
    level >= 4 ? h("p", { class: "leave-now", test: "leave-now", role: "alert" }, t("leaveNow")) : null,
    h("strong", {}, `${t("tension")}: ${LABELS.tension[level] ? LABELS.tension[level].label : level}`),
    h("ul", {}, prompts.map((text) => h("li", {}, text))));
}

function refusals(visit, key) {
  const kinds = STEP_KINDS[key] || [];
  const refused = visit.ops.filter((op) => kinds.includes(op.kind) && REFUSED.has(op.status) && !op.dismissed);
  if (!refused.length) return null;
  return refused.map((op) => h("div", { class: "refusal", test: "step-refusal", "data-kind": op.kind, role: "alert" },
    h("strong", {}, t("refused"), ": ", kindLabel(op.kind)), h("p", {}, op.message || op.code), ruleList(op.rules)));
}

function opChip(op) {
  return h("span", { class: `chip ${op.status}`, test: "op-status", "data-status": op.status }, t(`op_${op.status}`));
}

function stepSummary(visit, key) {
  const last = (kind) => visit.last(kind);
  switch (key) {
    case "check_in": return visit.myCheckIn ? clock(visit.myCheckIn.at) : "";
    case "id_shown": return last("id_shown") ? last("id_shown").data.mandate_number : "";
    case "entry": {
      const op = last("entry");
      return op ? (op.data.entered ? t("invitedIn") : t("stayedOutside")) : "";
    }
    case "met": return LABELS.parties.find((party) => party.code === visit.met)?.label || visit.met;
    case "reason": return LABELS.reasons.find((reason) => reason.code === visit.reason)?.label || visit.reason;
    case "finances": {
      const op = last("finances");
      return op ? `${op.data.monthly_income} / ${op.data.monthly_expenses}` : "";
    }
    case "check_out": return t("checkedOut", { n: visit.checkedOut.size, total: visit.checkedIn.size });
    case "close": return visit.closed ? t("visitClosed") : "";
    default: return "";
  }
}

function stepBody(visit, key) {
  const stopId = visit.stop.stop;
  switch (key) {
    case "check_in": return [h("p", {}, t("checkInHelp"))];
    case "id_shown": return [h("p", {}, t("idHelp")), h("label", {}, t("mandate"),
      input(`${stopId}:mandate`, { test: "mandate", autocomplete: "off", enterkeyhint: "done" }))];
    case "entry": return [h("p", {}, t("entryHelp"))];
    case "met": return [h("p", {}, t("metHelp")), h("ul", { class: "hints" }, LABELS.parties.map((party) =>
      h("li", {}, h("strong", {}, party.label), ": ", party.hint)))];
    case "reason": {
      const chosen = draft(`${stopId}:reason`);
      const label = LABELS.reasons.find((reason) => reason.code === chosen);
      return [h("p", {}, t("reasonHelp")),
        h("div", { class: "choices", role: "radiogroup" }, LABELS.reasons.map((reason) => h("button", {
          type: "button", class: `choice${chosen === reason.code ? " chosen" : ""}`, test: `reason-${reason.code}`,
          role: "radio", "aria-checked": chosen === reason.code ? "true" : "false",
          onclick: () => {
            state.drafts[`${stopId}:reason`] = reason.code;
            render();
          } }, reason.label))),
        label ? h("p", { class: "hint" }, label.hint) : null,
        h("label", {}, t("note"), h("textarea", { "data-draft": `${stopId}:reason-note`, test: "reason-note", rows: 2,
          value: draft(`${stopId}:reason-note`) }))];
    }
    case "finances": {
      const income = cents(draft(`${stopId}:income`));
      const expenses = cents(draft(`${stopId}:expenses`));
      return [
        h("label", {}, t("income"), input(`${stopId}:income`, { test: "income", inputmode: "decimal",
          "data-live": "" })),
        h("label", {}, t("expenses"), input(`${stopId}:expenses`, { test: "expenses", inputmode: "decimal",
          "data-live": "" })),
        h("p", { class: "hint", test: "surplus" }, income !== null && expenses !== null
          ? t("surplus", { amount: money((income - expenses) / 100, visit.stop.brief.currency) }) : "")];
    }
    case "outcomes": return outcomes(visit);
    case "check_out": return [h("p", {}, t("checkOutHelp")),
      h("p", { class: "muted" }, t("checkedOut", { n: visit.checkedOut.size, total: visit.checkedIn.size }))];
    case "recording": return recordingBody(visit);
    case "close": return [visit.askedToLeave ? h("p", {}, t("askedToLeaveDone")) : h("p", {}, t("closeHelp"))];
    default: return [];
  }
}

function recordingBody(visit) {
  const stopId = visit.stop.stop;
  const busy = state.busy[stopId] === "hashing";
  return [
    h("p", {}, t("recordingHelp")),
    visit.recordingStart
      ? h("p", { class: "muted" }, t("recordingSince", { time: clock(visit.recordingStart) })) : null,
    h("label", { class: "button file" }, t("recordingFile"),
      h("input", { type: "file", test: "recording-file", accept: "audio/*,video/*", disabled: busy || null,
        onchange: (event) => attachFile(visit, event.target.files[0]) })),
    busy ? h("p", { class: "waiting", test: "hashing" }, t("hashing")) : null,
    h("label", {}, t("recordingReference"), input(`${stopId}:recording-reference`, { test: "recording-reference",
      autocomplete: "off" })),
    h("label", {}, t("recordingSha"), input(`${stopId}:recording-sha256`, { test: "recording-sha256",
      autocomplete: "off", spellcheck: "false", class: "mono" })),
    h("button", { type: "button", class: "button", test: "recording-send", onclick: () => attachTyped(visit) },
      t("attach")),
    visit.recordings.length ? h("ul", { class: "plain records", "aria-label": t("recordings") },
      visit.recordings.map((op) => h("li", { test: "recording-item", "data-status": op.status },
        `${op.data.reference} · ${op.data.sha256.slice(0, 12)}… `, opChip(op)))) : null,
  ];
}

function outcomes(visit) {
  const stopId = visit.stop.stop;
  const chosen = state.outcomeForm[stopId] || "";
  const forms = [["promise", t("promise")], ["plan", t("plan")], ["payment", t("payment")], ["cash", t("cash")],
    ["dispute", t("dispute")], ["complaint", t("complaint")]];
  const parts = [h("p", {}, t("outcomesHelp")), outcomeRecords(visit),
    h("div", { class: "chips-row" }, forms.map(([key, label]) => h("button", { type: "button",
      class: `choice small${chosen === key ? " chosen" : ""}`, test: `outcome-${key}`, "aria-expanded": chosen === key
        ? "true" : "false",
      onclick: () => {
        state.outcomeForm[stopId] = chosen === key ? "" : key;
        render();
      } }, label)))];
  const currency = visit.stop.brief.currency;
  if (chosen === "promise") {
    parts.push(h("div", { class: "form card" },
      h("label", {}, `${t("amount")} (${currency})`, input(`${stopId}:promise-amount`, { test: "promise-amount",
        inputmode: "decimal" })),
      h("label", {}, t("dueOn"), input(`${stopId}:promise-due`, { test: "promise-due", type: "date",
        min: localToday(), max: addDays(localToday(), 90) }, addDays(localToday(), 7))),
      h("button", { type: "button", class: "button primary", test: "promise-send",
        onclick: () => recordPromise(visit) },
        t("recordPromise"))));
  } else if (chosen === "plan") {
    const fields = planFields(stopId);
    const limit = Number(config.planApprovalAbove);
    const total = Number(decimal(fields.total) || 0);
    parts.push(h("div", { class: "form card" },
      h("label", {}, `${t("total")} (${currency})`, input(`${stopId}:plan-total`, { test: "plan-total",
        inputmode: "decimal", "data-live": "" })),
      h("div", { class: "two" },
        h("label", {}, t("count"), input(`${stopId}:plan-count`, { test: "plan-count", type: "number", min: 1, max: 60,
          inputmode: "numeric", "data-live": "" }, "6")),
        h("label", {}, t("interval"), h("select", { "data-draft": `${stopId}:plan-interval`, test: "plan-interval",
          "data-live": "" }, ["monthly", "biweekly", "weekly"].map((value) => h("option", { value,
          selected: fields.interval === value || null }, t(value)))))),
      h("div", { class: "two" },
        h("label", {}, t("firstDueOn"), input(`${stopId}:plan-first`, { test: "plan-first", type: "date",
          min: localToday(), "data-live": "" }, fields.firstDue)),
        h("label", {}, t("downPayment"), input(`${stopId}:plan-down`, { test: "plan-down", inputmode: "decimal",
          "data-live": "" }, "0"))),
      total > limit ? h("p", { class: "hint warn", test: "plan-approval-hint" },
        t("planWillNeedApproval", { limit: money(limit, currency) })) : null,
      h("div", { class: "preview", test: "plan-preview" }, previewTable(fields, currency)),
      h("button", { type: "button", class: "button primary", test: "plan-send", onclick: () => proposePlan(visit) },
        t("proposePlan"))));
  } else if (chosen === "payment") {
    parts.push(h("div", { class: "form card" },
      isOnline() ? null : h("p", { class: "hint warn", test: "payment-offline" }, t("paymentOffline")),
      h("label", {}, `${t("amount")} (${currency})`, input(`${stopId}:payment-amount`, { test: "payment-amount",
        inputmode: "decimal" })),
      h("button", { type: "button", class: "button primary", test: "payment-send", disabled: isOnline() ? null : true,
        onclick: () => requestPayment(visit) }, t("createPayment"))));
  } else if (chosen === "cash") {
    parts.push(h("div", { class: "form card" },
      h("p", { class: "hint" }, t("cashHelp")),
      h("label", {}, `${t("amount")} (${currency})`, input(`${stopId}:cash-amount`, { test: "cash-amount",
        inputmode: "decimal" })),
      h("label", {}, t("receiptNumber"), input(`${stopId}:cash-receipt`, { test: "cash-receipt" })),
      h("button", { type: "button", class: "button primary", test: "cash-send", onclick: () => recordCash(visit) },
        t("recordCash"))));
  } else if (chosen === "dispute") {
    parts.push(h("div", { class: "form card" },
      h("label", {}, t("disputeReason"), h("textarea", { "data-draft": `${stopId}:dispute`, test: "dispute-reason",
        rows: 3, value: draft(`${stopId}:dispute`) })),
      h("button", { type: "button", class: "button primary", test: "dispute-send",
        onclick: () => recordText(visit, "dispute", "reason", "dispute") }, t("recordDispute"))));
  } else if (chosen === "complaint") {
    parts.push(h("div", { class: "form card" },
      h("label", {}, t("complaintSummary"), h("textarea", { "data-draft": `${stopId}:complaint`,
        test: "complaint-summary", rows: 3, value: draft(`${stopId}:complaint`) })),
      h("button", { type: "button", class: "button primary", test: "complaint-send",
        onclick: () => recordText(visit, "complaint", "summary", "complaint") }, t("recordComplaint"))));
  }
  return parts;
}

function previewTable(fields, currency) {
  const rows = planPreview(fields);
  if (!rows) return h("p", { class: "muted" }, t("preview"));
  return [h("p", { class: "muted" }, t("preview")), h("table", {}, h("tbody", {}, rows.map((row) =>
    h("tr", { test: "plan-row", "data-amount": row.amount, "data-due": row.due },
      h("td", {}, row.seq === 0 ? t("downPayment") : `${row.seq}`), h("td", {}, row.due),
      h("td", { class: "amount" }, money(row.amount, currency))))))];
}

function planState(visit, propose) {
  const signs = visit.ops.filter((op) => op.kind === "plan_sign" && op.data.plan_op === propose.id
    && ALIVE.has(op.status));
  const signOp = signs.length ? signs[signs.length - 1] : null;
  const planId = APPLIED.has(propose.status) && propose.result ? propose.result.plan : null;
  const polled = planId ? state.plans[planId] : null;
  let status;
  if (signOp) status = APPLIED.has(signOp.status) ? "signed" : "signing";
  else if (polled) status = polled.status;
  else if (planId) status = propose.result.status;
  else if (REFUSED.has(propose.status)) status = "refused";
  else if (Number(decimal(propose.data.total) || 0) > Number(config.planApprovalAbove)) status = "queued_approval";
  else status = "queued";
  return { signOp, planId, status, note: polled ? polled.decision_note : "" };
}

function planCard(visit, propose) {
  const stopId = visit.stop.stop;
  const plan = planState(visit, propose);
  const currency = visit.stop.brief.currency;
  const data = propose.data;
  const parts = [h("div", { class: "record-head" }, h("strong", {}, t("plan")), " ",
    `${money(data.total, currency)} · ${data.count} × ${t(data.interval)}`, " ", opChip(propose))];
  if (plan.status === "queued_approval") {
    parts.push(h("p", { class: "hint warn" },
      t("planWillNeedApproval", { limit: money(config.planApprovalAbove, currency) })));
  } else if (plan.status === "pending_approval") {
    parts.push(h("p", { class: "waiting", test: "plan-waiting" }, t("planNeedsApproval")));
  } else if (plan.status === "rejected") {
    parts.push(h("p", { class: "refusal" }, t("planRejected", { note: plan.note || "" })));
  } else if (plan.status === "approved" || plan.status === "queued") {
    const pad = padFor(propose.id);
    parts.push(h("p", { class: "hint" }, plan.status === "approved" ? t("planApproved") : t("queuedHere")),
      h("label", {}, t("signerName"), input(`${stopId}:signer-${propose.id}`, { test: "signer-name",
        autocomplete: "off" })),
      h("div", { class: "pad-label" }, t("signHere")), pad.element,
      h("div", { class: "row" },
        h("button", { type: "button", class: "button quiet", test: "signature-clear", onclick: () => pad.clear() },
          t("clear")),
        h("button", { type: "button", class: "button primary", test: "sign", onclick: () => signPlan(visit, propose) },
          t("sign"))));
  } else if (plan.status === "signing") {
    parts.push(h("p", { class: "hint" }, t("planSigned"), " · ", t("queuedHere")));
  }
  if (plan.status === "signed" && plan.planId) {
    const base = `${config.urls.plans}${plan.planId}/agreement.pdf`;
    parts.push(h("p", { class: "done" }, "✓ ", t("planSigned")), h("div", { class: "row" },
      h("a", { class: "button", test: "agreement-zh", href: `${base}?lang=zh-hans`, target: "_blank", rel: "noopener" },
        t("agreementZh")),
      h("a", { class: "button", test: "agreement-en", href: `${base}?lang=en`, target: "_blank", rel: "noopener" },
        t("agreementEn"))));
  }
  return h("li", { class: "record card", test: "plan", "data-status": plan.status, "data-op": propose.id,
    "data-plan": plan.planId ?? "" }, parts);
}

// The server's SVG is made to sit inline; as an image file it must name its namespace.
function svgImage(svg) {
  const standalone = /^<svg(?![^>]*\sxmlns=)/.test(svg)
    ? svg.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"') : svg;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standalone)}`;
}

function paymentCard(visit, op) {
  const currency = visit.stop.brief.currency;
  const result = APPLIED.has(op.status) ? op.result : null;
  return h("li", { class: "record card", test: "payment", "data-status": op.status },
    h("div", { class: "record-head" }, h("strong", {}, t("payment")), " ", money(op.data.amount, currency), " ",
      opChip(op)),
    op.status === "pending"
      ? h("p", { class: "waiting" }, isOnline() ? t("paymentWaiting") : t("paymentOffline")) : null,
    result ? [
      // The QR code is shown as an image: its SVG never runs as part of the page.
      h("img", { class: "qr", test: "payment-qr", alt: result.reference || "",
        src: svgImage(result.qr_svg || "") }),
      h("a", { class: "button", test: "payment-link", href: result.url, target: "_blank", rel: "noopener" },
        t("openPayment")),
      h("p", { class: "muted" }, result.reference)] : null);
}

function outcomeRecords(visit) {
  const currency = visit.stop.brief.currency;
  const items = [];
  for (const op of visit.ops) {
    if (op.dismissed && REFUSED.has(op.status)) continue;
    if (op.kind === "promise") {
      items.push(h("li", { class: "record card", test: "promise-item", "data-status": op.status },
        h("strong", {}, t("promise")), ` ${money(op.data.amount, currency)} · ${op.data.due_on} `, opChip(op)));
    } else if (op.kind === "plan_propose" && ALIVE.has(op.status)) {
      items.push(planCard(visit, op));
    } else if (op.kind === "payment_request" && ALIVE.has(op.status)) {
      items.push(paymentCard(visit, op));
    } else if (op.kind === "cash_receipt") {
      items.push(h("li", { class: "record card", test: "cash-item", "data-status": op.status },
        h("strong", {}, t("cash")), ` ${money(op.data.amount, currency)} · ${op.data.receipt_number} `, opChip(op)));
    } else if (op.kind === "dispute" || op.kind === "complaint") {
      items.push(h("li", { class: "record card", test: `${op.kind}-item`, "data-status": op.status },
        h("strong", {}, kindLabel(op.kind)), ` ${op.data.reason || op.data.summary || ""} `, opChip(op)));
    }
  }
  return items.length ? h("ul", { class: "plain records" }, items) : null;
}

function dockActions(visit, step) {
  const stopId = visit.stop.stop;
  const busy = Boolean(state.busy[stopId]);
  const button = (test, label, onclick, extra = "primary") => h("button", { type: "button", class: `button ${extra}`,
    test, disabled: busy || null, onclick }, label);
  switch (step.key) {
    case "check_in": return [button("check-in", t("checkIn"), () => positionOperation(visit, "check_in"))];
    case "id_shown": return [button("id-shown", t("idShown"), () => showId(visit))];
    case "entry": return [h("div", { class: "grid two" },
      button("entry-outside", t("stayedOutside"),
        () => record("entry", { stop: stopId, entered: false, consent: false })),
      button("entry-inside", t("invitedIn"), () => record("entry", { stop: stopId, entered: true, consent: true }),
        "secondary"))];
    case "met": return [h("div", { class: "grid two" }, LABELS.parties.map((party) => button(`met-${party.code}`,
      party.label, () => record("met", { stop: stopId, party: party.code }),
      party.code === "debtor" ? "primary" : "secondary")))];
    case "reason": return [button("reason-save", t("saveReason"), () => saveReason(visit))];
    case "finances": return [h("div", { class: "grid two" },
      button("finances-save", t("saveFinances"), () => saveFinances(visit)),
      button("finances-skip", t("skipFinances"), () => saveUi(stopId, { financesSkipped: true }), "secondary"))];
    case "outcomes": return [button("outcomes-done", t("outcomesDone"), () => {
      state.selected[stopId] = "";
      saveUi(stopId, { outcomesDone: true });
    })];
    case "check_out": return [button("check-out", t("checkOut"), () => positionOperation(visit, "check_out"))];
    case "recording": return [];
    case "close":
      if (visit.askedToLeave) return [button("close-visit", t("close"), () => closeVisit(visit, "refused"))];
      return [h("div", { class: "grid two" }, CLOSING_OUTCOMES.map((outcome) => button(`close-${outcome}`,
        t(`outcome_${outcome}`), () => closeVisit(visit, outcome), outcome === "met" ? "primary" : "secondary")))];
    default: return [];
  }
}

function renderStop(id) {
  const row = findStop(id);
  if (!row) {
    return [h("p", {}, h("a", { href: "#/", class: "button" }, "← ", t("allStops"))),
      h("p", { class: "muted" }, state.loaded ? t("noRoutes") : t("loading"))];
  }
  const visit = derive(row);
  const { stop, route } = row;
  const flags = stop.brief.safety_flags || [];
  const plan = steps(visit);
  const stopId = stop.stop;
  const status = statusOf(visit);
  const parts = [
    h("div", { class: "row top" }, h("a", { href: "#/", class: "button quiet", test: "back" }, "← ", t("allStops")),
      h("button", { type: "button", class: "button quiet", test: "refresh-top", onclick: () => {
        loadToday();
        flush();
      } }, "↻ ", t("refresh"))),
    h("h1", { class: "stop-title" }, stopName(row), " ",
      h("span", { class: `chip ${status}`, test: "visit-status", "data-status": status }, t(`status_${status}`))),
    h("p", { class: "muted" }, t("window", { start: clock(stop.start_at, route.timezone),
      end: clock(stop.end_at, route.timezone) }), " · ", stop.brief.address),
    flags.length ? h("div", { class: "safety", test: "safety-banner", role: "alert" },
      h("strong", {}, "⚠ ", t("safetyBanner")), h("ul", {}, flags.map((flag) => h("li", {}, label("flags", flag))))) : null,
    navigation(stop),
    attentionPanel(),
    state.notices[stopId] ? h("p", { class: "notice", test: "notice", role: "status" }, state.notices[stopId]) : null,
    visit.closing ? h("p", { class: "banner waiting", test: "closing" }, t("closing")) : null,
    visit.askedToLeave && !visit.closed ? h("p", { class: "banner warn", test: "asked-to-leave-note" },
      t("askedToLeaveDone")) : null,
    teamCard(visit),
    promptsCard(visit),
    brief(visit),
    h("ol", { class: "steps" }, plan.list.map((step, index) => {
      const selected = plan.selected === step;
      const head = h("button", { type: "button", class: "step-head", test: "step-head",
        disabled: step.enabled ? null : true,
        "aria-expanded": selected ? "true" : "false", onclick: () => {
          state.selected[stopId] = step.key;
          render();
        } },
      h("span", { class: "step-number" }, step.done ? "✓" : index + 1),
      h("span", { class: "step-title" }, t(`step_${step.key}`)),
      h("span", { class: "step-summary" }, step.skipped ? t("notNeeded") : stepSummary(visit, step.key)));
      return h("li", { class: `step ${step.state}${selected ? " selected" : ""}`, test: "step", "data-step": step.key,
        "data-state": step.state }, head, selected ? h("div", { class: "step-body" }, stepBody(visit, step.key)) : null,
      // The outcomes stay in view after the step (a plan to sign, the agreement, the payment QR code).
      !selected && step.key === "outcomes" ? h("div", { class: "step-body" }, outcomeRecords(visit)) : null,
      refusals(visit, step.key));
    })),
  ];
  return { parts, visit, plan };
}

function renderDock(visit, plan) {
  const dock = document.getElementById("dock");
  if (!visit) {
    dock.replaceChildren();
    dock.hidden = true;
    return;
  }
  const items = [];
  const during = visit.meIn && !visit.meOut && !visit.closed && (visit.started || visit.provisional);
  if (during) {
    items.push(h("div", { class: "tension", role: "group", "aria-label": t("tension") },
      h("span", { class: "tension-label" }, t("tension")),
      LABELS.tension.map((level) => h("button", { type: "button",
        class: `tension-button level-${level.level}${visit.tensionLevel === level.level ? " chosen" : ""}`,
        test: `tension-${level.level}`, title: level.label, "aria-pressed": visit.tensionLevel === level.level
          ? "true" : "false",
        onclick: () => sendTension(visit, level.level) }, String(level.level)))));
  }
  if (plan.selected) items.push(...dockActions(visit, plan.selected));
  if (during && !visit.askedToLeave) {
    items.push(h("button", { type: "button", class: "button danger", test: "asked-to-leave",
      onclick: () => record("asked_to_leave", { stop: visit.stop.stop }) }, t("askedToLeave")));
  }
  dock.replaceChildren(...items);
  dock.hidden = items.length === 0;
}

function render() {
  if (!state.store) return;
  const active = document.activeElement;
  const focusKey = active && active.dataset ? active.dataset.draft : null;
  let selection = null;
  try {
    selection = focusKey ? [active.selectionStart, active.selectionEnd] : null;
  } catch (error) {
    selection = null;
  }
  renderHeader();
  renderBanners();
  const view = document.getElementById("view");
  const match = /^#\/stop\/(\d+)/.exec(location.hash);
  let visit = null;
  let plan = null;
  if (match) {
    const result = renderStop(match[1]);
    view.replaceChildren();
    if (Array.isArray(result)) appendAll(view, result);
    else {
      appendAll(view, result.parts);
      ({ visit, plan } = result);
    }
    view.dataset.screen = "stop";
    view.setAttribute("data-test", "stop-screen");
    view.dataset.stop = match[1];
  } else {
    view.replaceChildren();
    appendAll(view, renderList());
    view.dataset.screen = "list";
    view.setAttribute("data-test", "list-screen");
    delete view.dataset.stop;
  }
  renderDock(visit, plan);
  document.documentElement.style.setProperty("--dock-height", `${document.getElementById("dock").offsetHeight}px`);
  for (const pad of state.pads.values()) if (pad.element.isConnected) pad.fit();
  if (focusKey) {
    const again = document.querySelector(`[data-draft="${CSS.escape(focusKey)}"]`);
    if (again) {
      again.focus({ preventScroll: true });
      try {
        if (selection && selection[0] !== null) again.setSelectionRange(selection[0], selection[1]);
      } catch (error) {
        // Inputs such as dates have no text selection.
      }
    }
  }
}

// Typing changes only drafts; the plan preview and the surplus follow without a full re-render.
function liveUpdate(element) {
  const match = /^#\/stop\/(\d+)/.exec(location.hash);
  if (!match) return;
  const stopId = Number(match[1]);
  const preview = document.querySelector('[data-test="plan-preview"]');
  const row = findStop(stopId);
  if (preview && row) preview.replaceChildren(...[previewTable(planFields(stopId), row.stop.brief.currency)].flat());
  const surplus = document.querySelector('[data-test="surplus"]');
  if (surplus && row) {
    const income = cents(draft(`${stopId}:income`));
    const expenses = cents(draft(`${stopId}:expenses`));
    surplus.textContent = income !== null && expenses !== null
      ? t("surplus", { amount: money((income - expenses) / 100, row.stop.brief.currency) }) : "";
  }
  if (element.dataset.draft && element.dataset.draft.endsWith(":plan-total")) {
    const hint = document.querySelector('[data-test="plan-approval-hint"]');
    const over = Number(decimal(element.value) || 0) > Number(config.planApprovalAbove);
    if (Boolean(hint) !== over) render();
  }
}

// --- timers, events, start -------------------------------------------------------------------------

async function pollPlans() {
  const match = /^#\/stop\/(\d+)/.exec(location.hash);
  const row = match ? findStop(match[1]) : null;
  if (!row || !isOnline()) return;
  const visit = derive(row);
  const waiting = visit.ops.filter((op) => op.kind === "plan_propose" && APPLIED.has(op.status))
    .map((op) => ({ op, plan: planState(visit, op) })).filter((each) => each.plan.status === "pending_approval");
  if (!waiting.length) return;
  state.lastPlanPollAt = Date.now();
  for (const { plan } of waiting) {
    try {
      const response = await timedFetch(`${config.urls.plans}${plan.planId}/`, { credentials: "same-origin",
        cache: "no-store", headers: { Accept: "application/json" } });
      if (response.ok) state.plans[plan.planId] = await response.json();
    } catch (error) {
      state.networkFailed = true;
    }
  }
  render();
}

function waitingForPartner() {
  const match = /^#\/stop\/(\d+)/.exec(location.hash);
  const row = match ? findStop(match[1]) : null;
  if (!row) return false;
  const visit = derive(row);
  return visit.meIn && !visit.started && !visit.closed;
}

function tick() {
  const now = Date.now();
  if (!navigator.onLine) return;
  if (now - state.lastFlushAt >= FLUSH_EVERY_MS) {
    state.lastFlushAt = now;
    flush();
  }
  // A failed request marks the phone offline; the route doubles as the probe that clears it.
  const probe = state.networkFailed && now - state.lastTodayAt >= FLUSH_EVERY_MS;
  if (probe || (waitingForPartner() && now - state.lastTodayAt >= WAITING_REFRESH_MS)) loadToday();
  if (now - state.lastPlanPollAt >= PLAN_POLL_MS) pollPlans();
  if (now - state.lastPositionAt >= POSITION_EVERY_MS && stopRows().length) {
    state.lastPositionAt = now;
    reportPosition();
  }
}

function listen() {
  document.addEventListener("input", (event) => {
    const key = event.target.dataset ? event.target.dataset.draft : null;
    if (!key) return;
    state.drafts[key] = event.target.value;
    if (event.target.hasAttribute("data-live")) liveUpdate(event.target);
  });
  document.addEventListener("change", (event) => {
    const key = event.target.dataset ? event.target.dataset.draft : null;
    if (!key) return;
    state.drafts[key] = event.target.value;
    if (event.target.hasAttribute("data-live")) liveUpdate(event.target);
  });
  window.addEventListener("hashchange", () => {
    window.scrollTo(0, 0);
    render();
  });
  window.addEventListener("online", () => {
    // Requests begun without a network may never answer: start again now that there is one.
    for (const controller of inFlight) controller.abort();
    state.networkFailed = false;
    render();
    flush();
    loadToday();
  });
  window.addEventListener("offline", () => render());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  document.getElementById("sos").addEventListener("click", () => raiseSos());
  window.addEventListener("resize", () => render());
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(config.urls.serviceWorker, { scope: config.urls.scope });
  } catch (error) {
    // Without the worker the app still runs; it only cannot start without a network.
  }
}

async function start() {
  state.store = await FieldStore.open(`doorstep-field-${ME}`);
  state.ui = await state.store.getSetting("ui", {});
  state.lastFix = await state.store.getSetting("lastFix", null);
  const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
  await state.store.prune(weekAgo);
  await reloadLocal();
  const saved = await state.store.getRoute();
  if (saved) {
    state.today = saved.payload;
    state.savedAt = saved.saved_at;
  }
  listen();
  render();
  registerWorker();
  await loadToday();
  flush();
  setInterval(tick, TICK_MS);
}

start();
