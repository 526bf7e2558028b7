import { Event } from "./event.entity";
import { EventsResolver } from "./events.resolver";
import { EVENTS_RETENTION } from "./events.service";

export const eventsEntities = [Event];
export const eventsResolvers = [EventsResolver] as const;
export const eventsJobs = [EVENTS_RETENTION];

export { Event };
export { deliver, eventBusOf, LocalEventBus, useEventBus, type EventBus, type EventListener, type PublishedEvent } from "./bus";
export { ALL_EVENT_TYPES, EVENT_TYPES, isEventType, type EventType } from "./event-types";
export { checkEventTypes, EVENT_RETENTION_DAYS, EVENTS_RETENTION, readableEventTypes } from "./events.service";
export { recordEvents, WEBHOOK_JOB_MAX_RUNS, WEBHOOK_JOBS, type NewEvent } from "./outbox";
export { createEventBus } from "./create-bus";
export { allowLive, liveEvents, newLiveStats, type LiveFilter, type LiveOptions, type LiveStats } from "./live";
export { PG_EVENTS_CHANNEL, PgEventBus } from "./pg-bus";
export { REDIS_EVENTS_CHANNEL, RedisEventBus } from "./redis-bus";
