package dev.h2fix.runtime;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * {@code h2fix:type=Stats}: every counter as a read-only attribute named {@code client.event}, plus
 * {@code version}, {@code patched} and {@code skipped}. No operations, no setters. Registered in the
 * platform MBean server only: h2fix opens no port of its own.
 */
public final class StatsMBean implements DynamicMBean {
  public static final String OBJECT_NAME = "h2fix:type=Stats";
  private static final String VERSION = "version";
  private static final String PATCHED = "patched";
  private static final String SKIPPED = "skipped";

  private static final CountDownLatch DECIDED = new CountDownLatch(1);
  private static volatile boolean registered;

  /** Registers the MBean once; a second call, or a name already taken, does nothing. */
  public static void register() throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(OBJECT_NAME);
    if (!server.isRegistered(name)) {
      server.registerMBean(new StatsMBean(), name);
    }
    registered = true;
    DECIDED.countDown();
  }

  /** For the agent: JMX is off, or registration failed; nothing will be registered. */
  public static void registrationSkipped() {
    DECIDED.countDown();
  }

  /**
   * Registration runs off the application's main thread; this waits until it is done or skipped,
   * at most {@code timeout}. True when the MBean is registered.
   */
  public static boolean awaitRegistration(long timeout, TimeUnit unit) throws InterruptedException {
    return DECIDED.await(timeout, unit) && registered;
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    switch (attribute) {
      case VERSION:
        return H2FixRuntime.version();
      case PATCHED:
        return H2FixRuntime.patched().toArray(new String[0]);
      case SKIPPED:
        return H2FixRuntime.skipped().toArray(new String[0]);
      default:
        Long value = Stats.snapshot().get(attribute);
        if (value == null) {
          throw new AttributeNotFoundException(attribute);
        }
        return value;
    }
  }

  @Override
  public AttributeList getAttributes(String[] attributes) {
    AttributeList list = new AttributeList();
    for (String name : attributes) {
      try {
        list.add(new Attribute(name, getAttribute(name)));
      } catch (AttributeNotFoundException e) {
        // JMX semantics: unknown attributes are left out of the list.
      }
    }
    return list;
  }

  @Override
  public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
    throw new AttributeNotFoundException(OBJECT_NAME + " is read-only: " + attribute.getName());
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList(); // read-only: nothing set
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
    throw new ReflectionException(new NoSuchMethodException(actionName), OBJECT_NAME + " has no operations");
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    List<MBeanAttributeInfo> attributes = new ArrayList<>();
    attributes.add(readOnly(VERSION, String.class, "h2fix version"));
    attributes.add(readOnly(PATCHED, String[].class, "libraries patched, per class loader"));
    attributes.add(readOnly(SKIPPED, String[].class, "libraries left as stock, with the reason"));
    for (Map.Entry<String, Long> e : Stats.snapshot().entrySet()) {
      attributes.add(readOnly(e.getKey(), Long.class, "counter " + e.getKey()));
    }
    return new MBeanInfo(
        StatsMBean.class.getName(),
        "h2fix counters (read-only)",
        attributes.toArray(new MBeanAttributeInfo[0]),
        null,
        null,
        null);
  }

  private static MBeanAttributeInfo readOnly(String name, Class<?> type, String description) {
    return new MBeanAttributeInfo(name, type.getName(), description, true, false, false);
  }
}
