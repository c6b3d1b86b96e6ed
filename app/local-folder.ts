/**
 * Turning a picked (`<input webkitdirectory>`) or dropped folder into the `LocalFile` list the
 * worker registers as `local:<name>`.
 */
import type { LocalFile } from '../protocol';

/** A `local:` name from a folder name: letters, digits, `.`, `_`, `-`, at most 64 characters. */
export function localNameOf(folder: string): string {
  const cleaned = folder
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return cleaned || 'folder';
}

/** The folder name files were picked from (the first segment of their relative paths). */
export function pickedFolderName(files: readonly LocalFile[]): string {
  const first = files[0]?.path.split('/')[0] ?? '';
  return files.every((f) => f.path.split('/')[0] === first) && files.some((f) => f.path.includes('/')) ? first : 'folder';
}

/** Files of an `<input webkitdirectory>` with their paths inside the picked folder. */
export function filesFromInput(list: FileList): LocalFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: LocalFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: entry.fullPath.replace(/^\//, ''), file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns the directory in batches until an empty one.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, out);
  }
}

/** Every file of the folder(s) dropped on the page, with paths relative to the drop. */
export async function filesFromDrop(data: DataTransfer): Promise<LocalFile[]> {
  const entries = Array.from(data.items, (item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const out: LocalFile[] = [];
  for (const e of entries) await walk(e, out);
  if (out.length === 0) return Array.from(data.files, (file) => ({ path: file.name, file }));
  return out;
}
