import { tryParseJson } from '../lib/json.ts';
import type { DeploymentTarget, ProviderAdapter } from '../providers/types.ts';
import { type DecodedOutput, type OutputDecoder, OutputTally } from './output-tally.ts';

/** Kept bytes are already within the tally's cap; no event is refused for its size here. */
const NO_EVENT_CAP = Number.MAX_SAFE_INTEGER;

/** The output text of a passthrough stream, read back with the adapter's own stream parser. */
export function streamOutputDecoder(adapter: ProviderAdapter, target: DeploymentTarget): OutputDecoder {
  return (bytes) => {
    const parser = adapter.createStreamParser(target, { maxEventBytes: NO_EVENT_CAP });
    const tally = new OutputTally();
    try {
      for (const event of parser.push(bytes)) tally.addEvent(event);
      for (const event of parser.end()) tally.addEvent(event);
    } catch {
      // A stream cut mid-event, or an error event: the text before it still counts.
    }
    return decodedFrom(tally);
  };
}

/** The output text of a passthrough JSON body, read back with the adapter's response parser. */
export function jsonOutputDecoder(adapter: ProviderAdapter, target: DeploymentTarget): OutputDecoder {
  return (bytes) => {
    const parsed = tryParseJson(bytes.toString('utf8'));
    if (parsed === undefined) return { texts: [], finishReasons: [] };
    const tally = new OutputTally();
    tally.addResult(adapter.parseResponse(parsed, target));
    return decodedFrom(tally);
  };
}

function decodedFrom(tally: OutputTally): DecodedOutput {
  return { texts: [tally.keptText()], finishReasons: tally.finishReasons() };
}
