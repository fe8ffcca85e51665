import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { isChildPath } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  describeValue,
  fabricErrorMap,
  formatZodError,
} from '@internal/plugin-fabric-common';
import git from 'isomorphic-git';
import { z } from 'zod';

/** A repository name: also a directory name, so no dots, slashes or spaces. */
export const repoNameSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a repository name; use lower-case letters, digits and '-', at most 63 characters, e.g. alai-shop-web`,
  });

/** git config key that records which scaffolder task created a repository. */
const TASK_KEY = 'fabric.taskid';
const STAGING_PREFIX = '.staging-';

export interface CommitAuthor {
  name: string;
  email: string;
}

export interface PublishedRepo {
  name: string;
  dir: string;
  commit: string;
  /** `file://` URL of the repository's working tree. */
  url: string;
}

/**
 * The embedded local publisher: one git repository per scaffolder output under
 * one data directory. Every path is resolved inside that directory (names are
 * validated, symlinks are refused both in what is published and on the way to
 * a repository), so template input cannot write or register anything outside.
 */
export class LocalRepositories {
  private constructor(readonly root: string) {}

  /** `dir` is resolved against the working directory, like the SQLite directory. */
  static async create(dir: string): Promise<LocalRepositories> {
    const absolute = path.resolve(dir);
    await fs.promises.mkdir(absolute, { recursive: true });
    // The real path, so a symlinked data directory compares consistently.
    return new LocalRepositories(await fs.promises.realpath(absolute));
  }

  /** The directory of repository `name` (which may not exist yet). */
  repoDir(name: string): string {
    const valid = repoNameSchema.safeParse(name, { error: fabricErrorMap });
    if (!valid.success) {
      throw new InputError(formatZodError(valid.error));
    }
    const dir = path.join(this.root, name);
    if (!isChildPath(this.root, dir) || dir === this.root) {
      throw new NotAllowedError(
        `${name} resolves outside the local repositories`,
      );
    }
    return dir;
  }

  async exists(name: string): Promise<boolean> {
    try {
      await fs.promises.lstat(this.repoDir(name));
      return true;
    } catch (e: any) {
      if (e?.code === 'ENOENT') return false;
      throw e;
    }
  }

  /**
   * A file inside an existing repository, as an absolute path; refuses
   * anything that leaves the repository, including through a symlink.
   */
  async fileIn(name: string, relativePath: string): Promise<string> {
    const dir = this.repoDir(name);
    const file = path.resolve(dir, relativePath);
    if (!isChildPath(dir, file) || file === dir) {
      throw new NotAllowedError(
        `${relativePath} is not a path inside repository ${name}; give a relative path such as catalog-info.yaml`,
      );
    }
    let real: string;
    try {
      real = await fs.promises.realpath(file);
    } catch (e: any) {
      if (e?.code === 'ENOENT') {
        throw new NotFoundError(
          `${relativePath} does not exist in repository ${name}; publish it first`,
        );
      }
      throw e;
    }
    const realDir = await fs.promises.realpath(dir);
    if (!isChildPath(realDir, real)) {
      throw new NotAllowedError(
        `${relativePath} in repository ${name} points outside the repository`,
      );
    }
    return real;
  }

  /**
   * Copies `sourceDir` into a new repository `name` with one commit. The
   * repository is built in a staging directory and moved into place only when
   * the commit exists, so a failure leaves no half-made repository behind.
   */
  async publish(options: {
    name: string;
    sourceDir: string;
    message: string;
    author: CommitAuthor;
    taskId: string;
  }): Promise<PublishedRepo> {
    const target = this.repoDir(options.name);
    if (await this.exists(options.name)) {
      throw new ConflictError(
        `A local repository named ${options.name} already exists; choose another name`,
      );
    }
    const files = await listFiles(options.sourceDir);
    if (files.length === 0) {
      throw new InputError(
        'There is nothing to publish: the template produced no files',
      );
    }
    const staging = path.join(this.root, `${STAGING_PREFIX}${randomUUID()}`);
    try {
      await fs.promises.mkdir(staging);
      for (const file of files) {
        const to = path.join(staging, file);
        await fs.promises.mkdir(path.dirname(to), { recursive: true });
        await fs.promises.copyFile(path.join(options.sourceDir, file), to);
      }
      await git.init({ fs, dir: staging, defaultBranch: 'main' });
      await git.setConfig({
        fs,
        dir: staging,
        path: TASK_KEY,
        value: options.taskId,
      });
      await git.add({ fs, dir: staging, filepath: files });
      const commit = await git.commit({
        fs,
        dir: staging,
        message: options.message,
        author: options.author,
      });
      await fs.promises.rename(staging, target);
      return {
        name: options.name,
        dir: target,
        commit,
        url: `file://${target}`,
      };
    } catch (e: any) {
      await fs.promises.rm(staging, { recursive: true, force: true });
      if (e?.code === 'ENOTEMPTY' || e?.code === 'EEXIST') {
        throw new ConflictError(
          `A local repository named ${options.name} already exists; choose another name`,
        );
      }
      throw e;
    }
  }

  /**
   * Removes repository `name`, but only if task `taskId` created it: a failed
   * run cleans up after itself and never deletes anything older.
   */
  async removeIfCreatedBy(name: string, taskId: string): Promise<boolean> {
    const dir = this.repoDir(name);
    let owner: unknown;
    try {
      owner = await git.getConfig({ fs, dir, path: TASK_KEY });
    } catch {
      return false;
    }
    if (owner !== taskId) return false;
    await fs.promises.rm(dir, { recursive: true, force: true });
    return true;
  }

  /** The files of a repository's last commit (tests and the docs use this). */
  async committedFiles(name: string): Promise<string[]> {
    return git.listFiles({ fs, dir: this.repoDir(name), ref: 'HEAD' });
  }
}

/** Every regular file under `dir`, relative, sorted; `.git` folders are skipped. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(relative: string) {
    const entries = await fs.promises.readdir(path.join(dir, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        throw new NotAllowedError(
          `${rel} is a symbolic link; local publishing copies regular files only, so replace it with the file itself`,
        );
      }
      if (entry.isDirectory()) {
        if (entry.name !== '.git') await walk(rel);
      } else if (entry.isFile()) {
        out.push(rel);
      }
    }
  }
  await walk('');
  return out.sort();
}
