package dev.h2fix.scenarios.okhttp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.internal.connection.ConnectionListener;

/**
 * What OkHttp 5's pool tells its ConnectionListener. Loaded only on 5.x (4.12 has no listener):
 * {@link #create} returns null there.
 */
public final class PoolEvents {
  public final AtomicInteger noNewExchanges = new AtomicInteger();
  public final AtomicInteger connectionClosed = new AtomicInteger();
  public final ConnectionPool pool;

  private PoolEvents(ConnectionPool pool) {
    this.pool = pool;
  }

  public static PoolEvents create() {
    try {
      Class.forName("okhttp3.internal.connection.ConnectionListener");
    } catch (ClassNotFoundException e) {
      return null;
    }
    return Five.create();
  }

  /** Kept apart so that 4.12 never links against ConnectionListener. */
  private static final class Five {
    static PoolEvents create() {
      PoolEvents[] holder = new PoolEvents[1];
      ConnectionListener listener =
          new ConnectionListener() {
            @Override
            public void noNewExchanges(Connection connection) {
              holder[0].noNewExchanges.incrementAndGet();
            }

            @Override
            public void connectionClosed(Connection connection) {
              holder[0].connectionClosed.incrementAndGet();
            }
          };
      holder[0] = new PoolEvents(new ConnectionPool(5, 5, TimeUnit.MINUTES, listener));
      return holder[0];
    }
  }
}
