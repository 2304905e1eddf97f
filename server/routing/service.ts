import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { buildRoadNetwork, type RoadNetwork } from './network.js';
import { loadRoadEdges } from './repository.js';

/**
 * The routing engine's network, loaded from the database on first use and kept in memory until
 * the roads change (`invalidate()` after an import or a county load).
 */
export class RoadRouting {
  private loading: Promise<RoadNetwork> | undefined;
  /** How long the last load took (query + build), for logs and the bench. */
  lastLoadMs = 0;

  constructor(private readonly db: Kysely<DB>) {}

  /** The network of every county in the database. */
  network(): Promise<RoadNetwork> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** Forget the network: the next query loads the roads again. */
  invalidate(): void {
    this.loading = undefined;
  }

  private async load(): Promise<RoadNetwork> {
    const started = performance.now();
    try {
      const network = buildRoadNetwork(await loadRoadEdges(this.db));
      this.lastLoadMs = performance.now() - started;
      return network;
    } catch (err) {
      this.loading = undefined;
      throw err;
    }
  }
}
