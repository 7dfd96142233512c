// Signature pad (templates/includes/signature_pad.html) for loan and handover agreements: finger, pen or
// mouse on a canvas, through pointer events.
// On submit the drawing goes into the hidden `signature_data` field as a PNG data URL. Without
// JavaScript the pad stays hidden and staff choose "signed on paper" or "read aloud and agreed".
const pad = document.querySelector("[data-signature-pad]");
if (pad) {
  const canvas = pad.querySelector("canvas");
  const form = canvas.closest("form");
  const output = form.querySelector("input[name=signature_data]");
  const drawn = form.querySelector("input[name=signature_method][value=drawn]");
  const status = pad.querySelector("[data-signature-status]");
  const context = canvas.getContext("2d");
  let inked = false;
  let last = null;

  const reset = () => {
    // Size the bitmap to the element (and the screen's pixel density) so lines are sharp, on white.
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    canvas.width = Math.round(canvas.clientWidth * ratio);
    canvas.height = Math.round(canvas.clientHeight * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#0b0c0c";
    inked = false;
    output.value = "";
    status.textContent = "The box is empty.";
  };

  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };

  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    context.beginPath();
    context.arc(last.x, last.y, 1, 0, Math.PI * 2);
    context.fillStyle = "#0b0c0c";
    context.fill();
    if (drawn) drawn.checked = true;
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    inked = true;
  });
  const finish = () => {
    if (!last) return;
    last = null;
    if (inked) status.textContent = "Signed.";
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("pointerleave", finish);

  pad.querySelector("[data-signature-clear]").addEventListener("click", reset);
  form.addEventListener("submit", () => {
    output.value = inked && drawn && drawn.checked ? canvas.toDataURL("image/png") : "";
  });
  if (drawn && !form.querySelector("input[name=signature_method]:checked")) drawn.checked = true;
  reset();
}
