import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { countyConstants, type ConstantsInUse } from './county-constants.js';
import { costNetwork, prepareRoadNetwork, type PreparedRoadNetwork, type RoadNetwork } from './network.js';
import { loadRoadEdges } from './repository.js';

/** The network as every capability drives it, and the constants each calibrated county uses. */
export interface CountyCostedNetwork {
  network: RoadNetwork;
  /** Counties with an active calibration (absent: the default constants). */
  inUse: ReadonlyMap<string, ConstantsInUse>;
}

/**
 * The routing engine's network, loaded from the database on first use and kept in memory until
 * the roads change (`invalidate()` after an import or a county load). Each county's edges are
 * timed under its own constants — its active calibration, else the model's defaults — so grids,
 * holidays, visits, isochrones and the no-trip list all drive alike. The constants are looked up
 * on every request (one small query): when a calibration is applied or dropped, from the API or
 * the CLI, the next request re-costs the network from its prepared profiles (one cheap pass, the
 * lines are not measured again).
 */
export class RoadRouting {
  private preparing: Promise<PreparedRoadNetwork> | undefined;
  private costed: { signature: string; result: Promise<CountyCostedNetwork> } | undefined;
  /** How long the last load took (query + build), for logs and the bench. */
  lastLoadMs = 0;

  constructor(private readonly db: Kysely<DB>) {}

  /** The network of every county in the database, each county under its constants. */
  async network(): Promise<RoadNetwork> {
    return (await this.current()).network;
  }

  /** The network and the constants in use, of one moment (both from the same calibrations). */
  async current(): Promise<CountyCostedNetwork> {
    const constants = await countyConstants(this.db);
    if (this.costed?.signature !== constants.signature) {
      const entry = {
        signature: constants.signature,
        result: this.prepared().then((prepared) => ({
          network: costNetwork(prepared, { drivingByCounty: constants.drivingByCounty }),
          inUse: constants.inUse,
        })),
      };
      entry.result.catch(() => {
        if (this.costed === entry) this.costed = undefined;
      });
      this.costed = entry;
    }
    return this.costed.result;
  }

  /** Forget the network: the next query loads the roads again. */
  invalidate(): void {
    this.preparing = undefined;
    this.costed = undefined;
  }

  private prepared(): Promise<PreparedRoadNetwork> {
    this.preparing ??= (async () => {
      const started = performance.now();
      try {
        const prepared = prepareRoadNetwork(await loadRoadEdges(this.db));
        this.lastLoadMs = performance.now() - started;
        return prepared;
      } catch (err) {
        this.preparing = undefined;
        throw err;
      }
    })();
    return this.preparing;
  }
}
