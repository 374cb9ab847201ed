import { type RefObject, useLayoutEffect, useState } from "react";

/**
 * The height that lets the element reach down to the window's bottom edge (less `gap`), so a list
 * scrolls inside itself instead of the page. Follows window resizes and anything above it growing.
 */
export function useFillHeight(ref: RefObject<HTMLElement | null>, gap = 16, min = 240): number {
  const [height, setHeight] = useState(min);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      setHeight(Math.max(min, Math.floor(window.innerHeight - top - gap)));
    };
    update();
    window.addEventListener("resize", update);
    // Filters wrapping onto a second line or an alert above move the list down.
    const observer = new ResizeObserver(update);
    if (el.parentElement) observer.observe(el.parentElement);
    return () => {
      window.removeEventListener("resize", update);
      observer.disconnect();
    };
  }, [ref, gap, min]);
  return height;
}
