import '@testing-library/jest-dom';

// jsdom does no layout: there is no ResizeObserver and every box measures 0 x 0, so a
// responsive chart would draw nothing. Give chart containers the size a browser would.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= NoopResizeObserver;

const measure = HTMLElement.prototype.getBoundingClientRect;
HTMLElement.prototype.getBoundingClientRect = function getBoundingClientRect(
  this: HTMLElement,
) {
  if (this.classList.contains('recharts-responsive-container')) {
    return {
      x: 0,
      y: 0,
      top: 0,
      left: 0,
      right: 800,
      bottom: 260,
      width: 800,
      height: 260,
      toJSON() {},
    } as DOMRect;
  }
  return measure.call(this);
};
