/**
 * Image hygiene: a long-running agent must not fill the disk. Policy per pool: keep the images of the
 * `keepImagesPerPool` most recently built combinations, and at most `maxBytes` of them in total; older
 * ones are untagged, which lets the engine delete their layers unless a kept image still shares them
 * (so the hot prefixes stay cached). Layers left behind by failed builds (untagged, no children) are
 * pruned once older than `danglingAfterMs`. Only images carrying the agent's managed label are touched.
 */
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { Logger } from '../../common/logger.js';
import { MANAGED_LABEL, MANAGED_VALUE, POOL_LABEL } from './dockerfile.js';

/** Pruning policy. */
export interface HygienePolicy {
  /** Combination images kept per pool (most recently built first). */
  keepImagesPerPool: number;
  /** Largest total size of a pool's kept images (bytes; shared layers counted once per image). */
  maxBytes: number;
  /** Age after which layers of failed builds are pruned (ms). */
  danglingAfterMs: number;
}

/** Default policy: 20 images or 2 GiB per pool, failed-build layers after 10 minutes. */
export const DEFAULT_HYGIENE_POLICY: HygienePolicy = { keepImagesPerPool: 20, maxBytes: 2 * 1024 ** 3, danglingAfterMs: 10 * 60_000 };

/** What one enforcement removed. */
export interface HygieneResult {
  untagged: string[];
  prunedImages: number;
  reclaimedBytes: number;
}

/** Applies the policy for one pool. */
export interface ImageHygiene {
  /** Remembers that `tag` was just built (most recent first in the keep order). */
  recordBuilt(tag: string, at: number): void;
  enforce(): Promise<HygieneResult>;
}

/** Dependencies of {@link createImageHygiene}. */
export interface ImageHygieneDeps {
  docker: Docker;
  logger: Logger;
  pool: string;
  policy: HygienePolicy;
}

/** Image tag of a combination built for a pool: `pulse-agent/<pool-slug>:<combination-hash>`. */
export function imageTag(pool: string, combination: readonly string[]): string {
  const poolHash = createHash('sha256').update(pool).digest('hex').slice(0, 8);
  const slug =
    pool
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'pool';
  const combo = createHash('sha256').update(combination.join(';')).digest('hex').slice(0, 16);
  return `pulse-agent/${slug}-${poolHash}:${combo}`;
}

/** Creates the hygiene of one pool's images. */
export function createImageHygiene(deps: ImageHygieneDeps): ImageHygiene {
  const { docker, policy } = deps;
  const log = deps.logger.child({ component: 'image-hygiene' });
  const lastBuilt = new Map<string, number>();

  return {
    recordBuilt(tag, at) {
      lastBuilt.set(tag, at);
    },
    async enforce() {
      const images = await docker.listImages({ filters: { label: [`${MANAGED_LABEL}=${MANAGED_VALUE}`, `${POOL_LABEL}=${deps.pool}`] } });
      const tagged = images.flatMap((img) =>
        (img.RepoTags ?? [])
          .filter((t) => t !== '<none>:<none>')
          .map((tag) => ({ tag, size: img.Size, at: lastBuilt.get(tag) ?? img.Created * 1000 })),
      );
      tagged.sort((a, b) => b.at - a.at);
      const untagged: string[] = [];
      let total = 0;
      for (const [i, t] of tagged.entries()) {
        total += t.size;
        if (i < policy.keepImagesPerPool && (total <= policy.maxBytes || i === 0)) continue;
        try {
          await docker.getImage(t.tag).remove({ noprune: false });
          untagged.push(t.tag);
          lastBuilt.delete(t.tag);
        } catch (err) {
          // In use by a build that is running right now, or removed by another agent: try next time.
          log.debug({ err, tag: t.tag }, 'cannot remove image yet');
        }
      }
      const pruned = await docker.pruneImages({
        filters: {
          dangling: ['true'],
          label: [`${MANAGED_LABEL}=${MANAGED_VALUE}`],
          until: [`${Math.round(policy.danglingAfterMs / 1000)}s`],
        },
      });
      const result = { untagged, prunedImages: pruned.ImagesDeleted?.length ?? 0, reclaimedBytes: pruned.SpaceReclaimed ?? 0 };
      if (untagged.length > 0 || result.prunedImages > 0) log.info(result, 'image hygiene removed old images');
      return result;
    },
  };
}

/**
 * Removes every image and layer carrying `label` (`key=value`), tagged or not: the clean-up of a cache
 * namespace (tests, benchmarks). Returns how many images were deleted.
 */
export async function removeImagesByLabel(docker: Docker, label: string): Promise<number> {
  const images = await docker.listImages({ all: true, filters: { label: [label] } });
  let removed = 0;
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      if (tag === '<none>:<none>') continue;
      try {
        await docker.getImage(tag).remove({ force: true });
        removed += 1;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
  const pruned = await docker.pruneImages({ filters: { dangling: ['true'], label: [label] } });
  return removed + (pruned.ImagesDeleted?.length ?? 0);
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === 404;
}
