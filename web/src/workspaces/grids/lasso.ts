import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

/** What a finished lasso hands back: the ring drawn, [lon, lat], and whether it adds to the selection. */
export interface LassoDone {
  ring: [number, number][];
  additive: boolean;
}

/** Screen pixels between two recorded points of a lasso (fewer points, same shape). */
const MIN_STEP_PX = 4;

/**
 * The freehand lasso on the map: while on, a press-and-drag draws a ring (the map does not pan),
 * shown through `draw`; on release the ring goes to `done`. Off, the map pans again.
 */
export class Lasso {
  private on = false;
  private ring: [number, number][] = [];
  private lastPoint: { x: number; y: number } | null = null;
  private additive = false;

  constructor(
    private readonly map: MapLibreMap,
    private readonly draw: (ring: [number, number][] | null) => void,
    private readonly done: (lasso: LassoDone) => void,
  ) {
    map.on('mousedown', (event) => this.start(event));
    map.on('mousemove', (event) => this.extend(event));
    map.on('mouseup', () => this.finish());
    // A drag leaving the map ends the lasso there.
    map.getCanvasContainer().addEventListener('mouseleave', () => this.finish());
  }

  /** Turn the lasso on (the map stops panning on drag) or off. */
  setActive(active: boolean): void {
    if (this.on === active) return;
    this.on = active;
    // Shift adds to the selection here: it must not start MapLibre's box zoom.
    if (active) {
      this.map.dragPan.disable();
      this.map.boxZoom.disable();
    } else {
      this.map.dragPan.enable();
      this.map.boxZoom.enable();
      this.cancel();
    }
    this.map.getCanvas().style.cursor = active ? 'crosshair' : '';
  }

  private start(event: MapMouseEvent): void {
    if (!this.on || event.originalEvent.button !== 0) return;
    event.preventDefault();
    const e = event.originalEvent;
    this.additive = e.ctrlKey || e.metaKey || e.shiftKey;
    this.ring = [[event.lngLat.lng, event.lngLat.lat]];
    this.lastPoint = { x: event.point.x, y: event.point.y };
  }

  private extend(event: MapMouseEvent): void {
    if (!this.on || !this.lastPoint) return;
    const { x, y } = event.point;
    if (Math.hypot(x - this.lastPoint.x, y - this.lastPoint.y) < MIN_STEP_PX) return;
    this.lastPoint = { x, y };
    this.ring.push([event.lngLat.lng, event.lngLat.lat]);
    this.draw(this.ring);
  }

  private finish(): void {
    if (!this.lastPoint) return;
    const ring = this.ring;
    const additive = this.additive;
    this.cancel();
    if (ring.length >= 3) this.done({ ring, additive });
  }

  private cancel(): void {
    this.ring = [];
    this.lastPoint = null;
    this.draw(null);
  }
}
