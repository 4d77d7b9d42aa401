// The engine's forward pass, in the browser: penguin_core/engine/network.py's Network.layer_values with
// dtype float64. Weights arrive as base64 little-endian float32 (penguin_core/views/browser.py); every
// sum and activation here is float64, so the browser and the server agree to about 1e-15.
// Plain declarations, no imports: this file is put in front of each component's own module.

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

function decodeFloats(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

function makeNetwork(layout, weightsText) {
  const flat = decodeFloats(weightsText);
  const layers = [];
  let at = 0;
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    const n = layout.sizes[l], m = layout.sizes[l + 1];
    const kernel = flat.subarray(at, at + n * m);
    at += n * m;
    const bias = flat.subarray(at, at + m);
    at += m;
    layers.push({ n, m, kernel, bias, activation: layout.activations[l] });
  }
  let scaling = null;
  if (layout.scaling) {
    const mean = decodeFloats(layout.scaling.mean), variance = decodeFloats(layout.scaling.variance);
    scaling = { mean, scale: Array.from(variance, (v) => Math.max(Math.sqrt(v), 1e-7)) };
  }
  return { layers, scaling };
}

function logAddExp(a, b) {  // numpy's logaddexp
  if (a === b) return a + Math.LN2;
  const d = a - b;
  return d > 0 ? a + Math.log1p(Math.exp(-d)) : b + Math.log1p(Math.exp(d));
}

function activate(name, z) {  // in place, as penguin_core/engine/activations.py
  for (let j = 0; j < z.length; j++) {
    const v = z[j];
    if (name === "relu") z[j] = v > 0 ? v : 0;
    else if (name === "sigmoid") z[j] = Math.exp(-logAddExp(0, -v));
    else if (name === "tanh") z[j] = Math.tanh(v);
    else if (name === "elu") z[j] = v > 0 ? v : Math.expm1(Math.min(v, 0));
    else if (name === "selu") z[j] = SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(Math.min(v, 0)));
    else if (name === "softplus") z[j] = logAddExp(0, v);
    else if (name !== "linear") throw new Error("unknown activation " + name);
  }
  return z;
}

function softmax(z) {
  let top = -Infinity, sum = 0;
  for (const v of z) top = Math.max(top, v);
  for (let j = 0; j < z.length; j++) { z[j] = Math.exp(z[j] - top); sum += z[j]; }
  for (let j = 0; j < z.length; j++) z[j] /= sum;
  return z;
}

// Every layer's values for one penguin's raw inputs x: [inputs as the first layer sees them, each hidden
// layer's activations, each species' probability].
function forward(net, x) {
  let a = Float64Array.from(x);
  if (net.scaling) for (let i = 0; i < a.length; i++) a[i] = (a[i] - net.scaling.mean[i]) / net.scaling.scale[i];
  const values = [a];
  net.layers.forEach((layer, l) => {
    const z = new Float64Array(layer.m);
    for (let j = 0; j < layer.m; j++) {
      let s = 0;
      for (let i = 0; i < layer.n; i++) s += a[i] * layer.kernel[i * layer.m + j];
      z[j] = s + layer.bias[j];
    }
    a = l === net.layers.length - 1 ? softmax(z) : activate(layer.activation, z);
    values.push(a);
  });
  return values;
}

function probabilities(net, x) {
  const values = forward(net, x);
  return values[values.length - 1];
}

// For the browser tests (and a curious learner's console): the same pass on any network and inputs.
window.penguinLabForward = (layout, weightsText, rows) => {
  const net = makeNetwork(layout, weightsText);
  return rows.map((x) => forward(net, x).map((v) => Array.from(v)));
};
