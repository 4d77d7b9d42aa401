// The sidebar told of a change without a run of the whole app. "tell" is mounted, with a new number, by a
// fragment (or app.py after a page) in which something the sidebar shows changed; "listen", inside the
// sidebar's status fragment, then reruns that fragment alone.
const told = new Map();

export default function (component) {
  const { data, key, setTriggerValue } = component;
  if (data.role === "tell") {
    if (told.get(key) !== data.number) {
      told.set(key, data.number);
      window.dispatchEvent(new CustomEvent("penguin-lab-changed"));
    }
    return undefined;
  }
  const listener = () => setTriggerValue("changed", Date.now());
  window.addEventListener("penguin-lab-changed", listener);
  return () => window.removeEventListener("penguin-lab-changed", listener);
}
