import { parseArgs } from 'node:util';
import type { CommandIO } from '../cli/command.js';
import type { Database } from '../db/database.js';
import {
  ADMINISTRATIVE_CLASSES,
  ADMINISTRATIVE_WORDS,
  applyRoadClassChanges,
  GRADE_WORDS,
  readRoadClassMapping,
  TECHNICAL_GRADES,
  writeRoadClassMapping,
} from './import/road-classes.js';

/**
 * `county road-classes --county CODE [--set G=class1,Y=county,class3=35]`: show the county's road
 * class mapping, or change it and re-cost its roads (one transaction).
 */
export async function roadClassesSub(
  args: string[],
  io: CommandIO,
  database: Database,
  county: (code?: string) => Promise<string>,
): Promise<number> {
  const { values } = parseArgs({ args, options: { county: { type: 'string' }, set: { type: 'string' } } });
  const code = await county(values.county);
  let { mapping, own } = await readRoadClassMapping(database.db, code);
  let edgesChanged: number | undefined;
  if (values.set !== undefined) {
    const changes = values.set.split(',').filter((pair) => pair.trim() !== '');
    if (changes.length === 0) throw new Error('--set takes KEY=VALUE pairs such as G=class1,Y=county,class3=35');
    mapping = applyRoadClassChanges(mapping, changes);
    ({ edgesChanged } = await writeRoadClassMapping(database.db, code, mapping, 'cli'));
    own = true;
    io.say(`${edgesChanged} road edges re-costed`);
  }
  io.say(`${code}: ${own ? 'its own road class mapping' : 'the built-in road class mapping'}`);
  for (const a of ADMINISTRATIVE_CLASSES) {
    const { roadClass, grade } = mapping.administrative[a];
    io.say(
      `  ${a} ${ADMINISTRATIVE_WORDS[a].padEnd(4, '　')} → ${roadClass.padEnd(8)} usual grade ${grade} ${GRADE_WORDS[grade]}`,
    );
  }
  for (const g of TECHNICAL_GRADES) {
    const { roadClass, designSpeedKmh } = mapping.technical[g];
    io.say(`  ${g.padEnd(11)} ${GRADE_WORDS[g]} → ${roadClass.padEnd(8)} ${designSpeedKmh} km/h`);
  }
  io.result({ county: code, own, mapping, ...(edgesChanged !== undefined ? { edgesChanged } : {}) });
  return 0;
}
