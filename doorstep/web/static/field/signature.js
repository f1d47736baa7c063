// A signature pad on a canvas: pointer events (finger, pen or mouse), smooth strokes, PNG out.
// The canvas keeps its drawing when the app re-renders around it: the app keeps one pad per plan
// and moves its element, never redraws it.

const MAX_SCALE = 2; // the PNG stays small enough to send from a phone (the server takes < 400 kB)

export class SignaturePad {
  constructor({ height = 200, label = "" } = {}) {
    this.element = document.createElement("div");
    this.element.className = "signature";
    this.canvas = document.createElement("canvas");
    this.canvas.setAttribute("data-test", "signature");
    this.canvas.setAttribute("role", "img");
    if (label) this.canvas.setAttribute("aria-label", label);
    this.canvas.style.height = `${height}px`;
    this.element.append(this.canvas);
    this.strokes = 0;
    this.drawing = null;
    this.sized = false;
    this.onchange = null;
    this.canvas.addEventListener("pointerdown", (event) => this.#down(event));
    this.canvas.addEventListener("pointermove", (event) => this.#move(event));
    for (const name of ["pointerup", "pointercancel", "pointerleave"]) {
      this.canvas.addEventListener(name, (event) => this.#up(event));
    }
    // Keep the page from scrolling while signing.
    this.canvas.style.touchAction = "none";
  }

  get empty() {
    return this.strokes === 0;
  }

  // Size the backing store to the displayed size once the element is in the page.
  fit() {
    const box = this.canvas.getBoundingClientRect();
    if (!box.width || !box.height) return;
    const scale = Math.min(window.devicePixelRatio || 1, MAX_SCALE);
    const width = Math.round(box.width * scale);
    const height = Math.round(box.height * scale);
    if (this.sized && this.canvas.width === width && this.canvas.height === height) return;
    const previous = this.sized && !this.empty ? this.canvas.toDataURL("image/png") : null;
    this.canvas.width = width;
    this.canvas.height = height;
    this.scale = scale;
    this.sized = true;
    this.#clearCanvas();
    if (previous) {
      const image = new Image();
      image.onload = () => this.#context().drawImage(image, 0, 0, width, height);
      image.src = previous;
    }
  }

  clear() {
    this.strokes = 0;
    this.#clearCanvas();
    if (this.onchange) this.onchange(this);
  }

  toDataURL() {
    return this.canvas.toDataURL("image/png");
  }

  #context() {
    const context = this.canvas.getContext("2d");
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#0a1f44";
    context.fillStyle = "#0a1f44";
    return context;
  }

  #clearCanvas() {
    const context = this.canvas.getContext("2d");
    context.save();
    context.fillStyle = "#ffffff"; // an opaque background: the PNG reads the same on any viewer
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    context.restore();
  }

  #point(event) {
    const box = this.canvas.getBoundingClientRect();
    const scale = this.scale || 1;
    const pressure = event.pressure && event.pointerType === "pen" ? event.pressure : 0.5;
    return { x: (event.clientX - box.left) * scale, y: (event.clientY - box.top) * scale,
      width: (1.5 + pressure * 2.5) * scale };
  }

  #down(event) {
    if (event.button !== undefined && event.button > 0) return;
    event.preventDefault();
    if (!this.sized) this.fit();
    this.canvas.setPointerCapture?.(event.pointerId);
    const point = this.#point(event);
    this.drawing = { id: event.pointerId, last: point };
    const context = this.#context();
    context.beginPath();
    context.arc(point.x, point.y, point.width / 2, 0, Math.PI * 2);
    context.fill();
  }

  #move(event) {
    if (!this.drawing || this.drawing.id !== event.pointerId) return;
    event.preventDefault();
    const events = typeof event.getCoalescedEvents === "function" ? event.getCoalescedEvents() : [event];
    const context = this.#context();
    for (const each of events.length ? events : [event]) {
      const point = this.#point(each);
      const last = this.drawing.last;
      context.lineWidth = (last.width + point.width) / 2;
      context.beginPath();
      context.moveTo(last.x, last.y);
      // A quadratic curve through the midpoint smooths the polyline of sampled points.
      const middle = { x: (last.x + point.x) / 2, y: (last.y + point.y) / 2 };
      context.quadraticCurveTo(last.x, last.y, middle.x, middle.y);
      context.lineTo(point.x, point.y);
      context.stroke();
      this.drawing.last = point;
    }
  }

  #up(event) {
    if (!this.drawing || this.drawing.id !== event.pointerId) return;
    this.drawing = null;
    this.strokes += 1;
    if (this.onchange) this.onchange(this);
  }
}
