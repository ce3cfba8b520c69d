import type { AudioPart, FilePart, ImagePart } from '../../core/types.ts';
import type { GeminiPart } from '../../protocols/gemini.ts';
import type { Adjustments } from './adjustments.ts';

/** MIME types by file extension, for URLs sent as `fileData` (Gemini wants a mimeType; PK-G guesses the same way). */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/md',
  html: 'text/html',
  csv: 'text/csv',
  xml: 'text/xml',
  json: 'application/json',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  aiff: 'audio/aiff',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/m4a',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  mov: 'video/mov',
  avi: 'video/avi',
  webm: 'video/webm',
  wmv: 'video/wmv',
  flv: 'video/x-flv',
  '3gp': 'video/3gpp',
};

/** OpenAI `input_audio.format` → Gemini audio MIME type. */
const AUDIO_MIME: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  aac: 'audio/aac',
  m4a: 'audio/m4a',
  pcm16: 'audio/pcm',
};

export function guessMimeType(url: string): string | undefined {
  if (/^https?:\/\/(?:www\.|m\.)?(?:youtube\.com|youtu\.be)\//i.test(url)) return 'video/mp4';
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not a URL: use the string as is
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : MIME_BY_EXTENSION[extension];
}

/** image_url → inlineData (data URL) or fileData (http(s)/gs URL). */
export function toGeminiImagePart(part: ImagePart, adjustments: Adjustments): GeminiPart {
  if (part.data !== undefined) return { inlineData: { mimeType: part.mediaType ?? 'image/jpeg', data: part.data } };
  const url = part.url ?? '';
  let mimeType = part.mediaType ?? guessMimeType(url);
  if (mimeType === undefined) {
    mimeType = 'image/jpeg';
    adjustments.warn('image URL without a known extension sent to Gemini as image/jpeg');
  }
  return { fileData: { mimeType, fileUri: url } };
}

/** input_audio → inlineData audio/<format>. */
export function toGeminiAudioPart(part: AudioPart): GeminiPart {
  const format = part.format.toLowerCase();
  return { inlineData: { mimeType: AUDIO_MIME[format] ?? `audio/${format}`, data: part.data } };
}

/**
 * file → inlineData (base64 file_data) or fileData (a URL, or a Gemini Files API name/URI in
 * `file_id`). OpenAI file ids (`file-…`) mean nothing to Gemini: unsupported.
 */
export function toGeminiFilePart(part: FilePart, param: string, adjustments: Adjustments): GeminiPart | undefined {
  const named = part.filename === undefined ? undefined : guessMimeType(part.filename);
  if (part.data !== undefined) {
    return { inlineData: { mimeType: part.mediaType ?? named ?? 'application/pdf', data: part.data } };
  }
  const uri = part.url ?? geminiFileUri(part.fileId);
  if (uri !== undefined) {
    const mimeType = part.mediaType ?? named ?? guessMimeType(uri);
    return { fileData: mimeType === undefined ? { fileUri: uri } : { mimeType, fileUri: uri } };
  }
  adjustments.unsupported(
    param,
    'is not a file Gemini can read (send file_data, or a Gemini Files API name such as files/abc)',
  );
  return undefined;
}

function geminiFileUri(fileId: string | undefined): string | undefined {
  if (fileId === undefined) return undefined;
  if (/^(?:https?|gs):\/\//.test(fileId)) return fileId;
  if (/^files\/[\w-]+$/.test(fileId)) return `https://generativelanguage.googleapis.com/v1beta/${fileId}`;
  return undefined;
}
