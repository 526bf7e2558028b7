import type { DataSource } from "typeorm";
import type { EventType } from "./event-types";

/** An event as live subscribers receive it, once the transaction that wrote it has committed. */
export interface PublishedEvent {
  id: string;
  type: EventType;
  /** Null for an event every distributor sees (the shared catalog's). */
  distributorId: string | null;
  /** The database id of the object the event is about (an order, a shipment, a brief, a variant). */
  subjectId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

export type EventListener = (event: PublishedEvent) => void;

/**
 * Carries committed events to the live subscribers of every Facet process: within one process
 * (the embedded database, tests), through PostgreSQL's LISTEN/NOTIFY, or through Redis. It is not
 * the record: webhooks and `events` read the outbox table, so an event a bus loses (a process that
 * died between its commit and its publish) is still delivered and listed.
 */
export interface EventBus {
  publish(events: readonly PublishedEvent[]): void;
  /** Calls `listener` with every event any process publishes, this one's included; returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

/** The bus of one process: what it publishes, its own subscribers receive. */
export class LocalEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();

  publish(events: readonly PublishedEvent[]): void {
    for (const event of events) deliver(this.listeners, event);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/** Hands an event to each listener; one listener's failure reaches neither the others nor the publisher. */
export function deliver(listeners: Iterable<EventListener>, event: PublishedEvent): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A subscriber's own failure is its own (it closes its socket); the bus goes on.
    }
  }
}

const buses = new WeakMap<DataSource, EventBus>();

/** Makes `bus` the one that events written through `dataSource` are published on. */
export function useEventBus(dataSource: DataSource, bus: EventBus): void {
  buses.set(dataSource, bus);
}

/** The bus events written through `dataSource` go to, if a server set one. */
export function eventBusOf(dataSource: DataSource): EventBus | undefined {
  return buses.get(dataSource);
}
