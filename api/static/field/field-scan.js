// Reads a voucher's QR code from the camera (getUserMedia) with the vendored jsQR decoder.
"use strict";

window.FieldScan = (function () {
  let stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
  }

  function decodeFrame(video, canvas) {
    if (video.readyState < 2 || !video.videoWidth) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(pixels.data, pixels.width, pixels.height);
    return found ? found.data : null;
  }

  // Calls found(text) with the first code read, then stops the camera.
  async function start(video, found) {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    await video.play();
    const canvas = document.createElement("canvas");
    const look = () => {
      if (!stream) return;
      const text = decodeFrame(video, canvas);
      if (text) { stop(); found(text); } else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }

  return { start, stop };
})();
