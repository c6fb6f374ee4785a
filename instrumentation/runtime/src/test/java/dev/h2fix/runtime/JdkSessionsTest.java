package dev.h2fix.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

class JdkSessionsTest {

  @Test
  void hostAndPortFromTheConnectionKey() {
    InvalidatedSession direct = JdkSessions.session("S:H:example.org:8443", InvalidatedSession.Reason.GOAWAY, null);
    assertEquals("example.org", direct.host());
    assertEquals(8443, direct.port());
    InvalidatedSession ipv6 = JdkSessions.session("C:H:::1:8080", InvalidatedSession.Reason.GOAWAY, null);
    assertEquals("::1", ipv6.host());
    assertEquals(8080, ipv6.port());
    InvalidatedSession tunnel = JdkSessions.session("S:T:H:a.test:443;P:proxy:3128", InvalidatedSession.Reason.GOAWAY, null);
    assertEquals("a.test", tunnel.host());
    assertEquals(443, tunnel.port());
    InvalidatedSession proxied = JdkSessions.session("C:P:proxy:3128", InvalidatedSession.Reason.GOAWAY, null);
    assertEquals("proxy", proxied.host());
    assertEquals(3128, proxied.port());
    InvalidatedSession odd = JdkSessions.session("garbage", InvalidatedSession.Reason.GOAWAY, null);
    assertEquals(-1, odd.port());
  }

  @Test
  void reasonFromTheShutdownCause() {
    assertEquals(InvalidatedSession.Reason.PEER_CLOSED, JdkSessions.reasonFor(new EOFException("EOF reached while reading")));
    assertEquals(InvalidatedSession.Reason.PROTOCOL_ERROR, JdkSessions.reasonFor(new ProtocolException("protocol error")));
    assertEquals(InvalidatedSession.Reason.GOAWAY, JdkSessions.reasonFor(new IOException("/127.0.0.1:5: GOAWAY received")));
    assertEquals(InvalidatedSession.Reason.IO_FAILURE, JdkSessions.reasonFor(new IOException("Connection reset by peer")));
    assertEquals(InvalidatedSession.Reason.LOCAL_CLOSE, JdkSessions.reasonFor(null));
  }

  @Test
  void aSecondGoAwayOnlyLowersTheLastStreamId() {
    Object connection = new Object();
    assertNull(JdkSessions.goAwayLastStream(connection));
    assertEquals(9, JdkSessions.goAwayReceived(connection, 9));
    assertEquals(5, JdkSessions.goAwayReceived(connection, 5), "RFC 9113 6.8: a lower one replaces it");
    assertEquals(5, JdkSessions.goAwayReceived(connection, 7), "a higher one changes nothing");
    assertEquals(5, JdkSessions.goAwayLastStream(connection));
    assertNull(JdkSessions.goAwayLastStream(new Object()));
  }
}
