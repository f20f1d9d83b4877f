import type { AnnotationSet, ChangeBody, ChangeResponse } from '@warrant/contracts';
import { AnnotationOpError, DEFAULT_SCHEME, applyOps, createAnnotationState, type AnnotationOp, type LabelScheme } from '@warrant/domain';
import { ApiError } from '../../../../lib/api-error.ts';
import type { EngineApi } from '../save-engine.ts';
import type { TabRegistry } from '../tab-id.ts';

export const TEXT = 'Socrates is a man. All men are mortal. So Socrates is mortal.';
export const SCHEME: LabelScheme = DEFAULT_SCHEME;
export const SET_ID = 'set-000001';
export const USER_ID = 'user-00001';

export function makeSet(overrides: Partial<AnnotationSet> = {}): AnnotationSet {
  return {
    id: SET_ID,
    projectId: 'project-01',
    passageId: 'passage-01',
    annotator: { id: USER_ID, username: 'ann', displayName: 'Ann' },
    status: 'draft',
    category: null,
    skipReason: null,
    version: 0,
    spans: [],
    relations: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    submittedAt: null,
    ...overrides,
  };
}

let spanCounter = 0;
export function addSpan(label = 'premise', start = 0, end = 8, id = `s${++spanCounter}`): AnnotationOp {
  return { op: 'addSpan', span: { id, label, start, end, note: null } };
}

type Mode = 'up' | 'offline' | 'unauthenticated' | 'unavailable' | 'not-found';

/**
 * A small stand-in for POST /changes and GET /annotation-sets/:id, with the API's rules that the
 * client depends on: versions, idempotent change ids (CONFLICT when reused with other ops),
 * VERSION_CONFLICT with the current set, 400 for ops the domain rejects.
 */
export class FakeServer implements EngineApi {
  set: AnnotationSet;
  mode: Mode = 'up';
  readonly requests: ChangeBody[] = [];
  readonly applied = new Map<string, { ops: string; version: number }>();
  /** Applies the next change, then answers as if the connection dropped. */
  loseNextResponse = false;
  /** A message here refuses the change with 400 INVALID_CHANGE. */
  refuse: ((body: ChangeBody) => string | undefined) | undefined;
  /** The scheme the server validates with (a lead may have changed it since the client loaded it). */
  scheme: LabelScheme = SCHEME;
  /** Refusals (400) without `details.opIndex`, as an older server or a proxy might answer. */
  omitOpIndex = false;
  /** Bodies larger than this (JSON, UTF-8 bytes) answer 413 PAYLOAD_TOO_LARGE, as the API's body limit does. */
  bodyLimit = Number.POSITIVE_INFINITY;
  /** This many next reads of the set fail as if the connection dropped. */
  failReads = 0;
  private held: Array<() => void> = [];
  /** While true, answers wait for release(). */
  holding = false;

  constructor(set: AnnotationSet = makeSet()) {
    this.set = structuredClone(set);
  }

  release(): void {
    const held = this.held;
    this.held = [];
    for (const resume of held) resume();
  }

  /** Another tab's (or person's) change. */
  edit(ops: AnnotationOp[]): void {
    this.set = this.applyTo(this.set, ops);
  }

  async sendChange(setId: string, body: ChangeBody): Promise<ChangeResponse> {
    this.requests.push(structuredClone(body));
    if (this.holding) await new Promise<void>((resume) => this.held.push(resume));
    await Promise.resolve();
    this.failIfDown(setId);
    if (new TextEncoder().encode(JSON.stringify(body)).length > this.bodyLimit) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
    const prior = this.applied.get(body.changeId);
    if (prior) {
      if (prior.ops !== JSON.stringify(body.ops)) throw new ApiError(409, 'CONFLICT', `change '${body.changeId}' was already applied with different edits`);
      return { changeId: body.changeId, version: prior.version, replayed: true };
    }
    if (body.baseVersion !== this.set.version) {
      throw new ApiError(409, 'VERSION_CONFLICT', 'this passage was changed elsewhere', { current: structuredClone(this.set) });
    }
    const refusal = this.refuse?.(body);
    if (refusal) throw new ApiError(400, 'INVALID_CHANGE', refusal, this.omitOpIndex ? undefined : { opIndex: 0 });
    try {
      this.set = this.applyTo(this.set, body.ops);
    } catch (error) {
      if (error instanceof AnnotationOpError) {
        const details = { opIndex: error.opIndex, ...(error.reason ? { field: error.field, reason: error.reason } : {}) };
        throw new ApiError(400, error.code, error.message, this.omitOpIndex ? undefined : details);
      }
      throw error;
    }
    this.applied.set(body.changeId, { ops: JSON.stringify(body.ops), version: this.set.version });
    if (this.loseNextResponse) {
      this.loseNextResponse = false;
      throw new TypeError('Failed to fetch');
    }
    return { changeId: body.changeId, version: this.set.version, replayed: false };
  }

  async getSet(setId: string): Promise<AnnotationSet> {
    await Promise.resolve();
    if (this.failReads > 0) {
      this.failReads--;
      throw new TypeError('Failed to fetch');
    }
    this.failIfDown(setId);
    return structuredClone(this.set);
  }

  private failIfDown(setId: string): void {
    if (this.mode === 'offline') throw new TypeError('Failed to fetch');
    if (this.mode === 'unauthenticated') throw new ApiError(401, 'UNAUTHENTICATED', 'log in first');
    if (this.mode === 'unavailable') throw new ApiError(503, 'STORAGE_UNAVAILABLE', 'the disk is full');
    if (this.mode === 'not-found' || setId !== this.set.id) throw new ApiError(404, 'NOT_FOUND', 'annotation set not found');
  }

  private applyTo(set: AnnotationSet, ops: readonly AnnotationOp[]): AnnotationSet {
    const state = createAnnotationState(structuredClone(set));
    applyOps(state, ops, { text: TEXT, scheme: this.scheme });
    return {
      ...set,
      version: set.version + 1,
      spans: [...state.spans.values()],
      relations: [...state.relations.values()],
      category: state.category,
      status: state.status,
      skipReason: state.skipReason,
    };
  }
}

/** Tabs without Web Locks: ids handed out by the test, liveness set by it. */
export class FakeTabs implements TabRegistry {
  readonly alive = new Set<string>();
  private readonly tabId: string;

  constructor(tabId: string, registry?: FakeTabs) {
    this.tabId = tabId;
    if (registry) this.alive = registry.alive;
    this.alive.add(tabId);
  }

  async currentTabId(): Promise<string> {
    return this.tabId;
  }

  async isTabAlive(tabId: string): Promise<boolean> {
    return this.alive.has(tabId);
  }

  close(): void {
    this.alive.delete(this.tabId);
  }
}
