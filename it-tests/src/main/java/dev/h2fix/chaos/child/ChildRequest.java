package dev.h2fix.chaos.child;

import dev.h2fix.chaos.Schedule;

/**
 * One request as a driver sends it: the bench id, the body kind, the bench action header value
 * (null: healthy), the request body size and the response size the server is asked for.
 */
public record ChildRequest(String id, Schedule.Body body, String action, int bodySize, int responseSize) {
  public boolean hasBody() {
    return body != Schedule.Body.GET;
  }

  public boolean oneShot() {
    return body == Schedule.Body.ONE_SHOT;
  }
}
