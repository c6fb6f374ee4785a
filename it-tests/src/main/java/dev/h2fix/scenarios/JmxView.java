package dev.h2fix.scenarios;

import dev.h2fix.runtime.StatsMBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Reads h2fix:type=Stats through the platform MBean server and tries to write it. */
public final class JmxView {
  public static void main(String[] argv) throws Exception {
    Report report = new Report();
    boolean registered = StatsMBean.awaitRegistration(30, TimeUnit.SECONDS);
    report.add("registered", registered ? 1 : 0);
    if (!registered) {
      report.print();
      return;
    }
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(StatsMBean.OBJECT_NAME);
    for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
      report.add("attributes");
      report.add(a.isWritable() ? "attributes.writable" : "attributes.readOnly");
    }
    report.add("operations", server.getMBeanInfo(name).getOperations().length);
    report.add("okhttp.requestsRerouted.value", (Long) server.getAttribute(name, "okhttp.requestsRerouted"));
    report.add("version.present", server.getAttribute(name, "version") != null ? 1 : 0);
    try {
      server.setAttribute(name, new Attribute("okhttp.requestsRerouted", 5L));
      report.add("write.accepted");
    } catch (Exception e) {
      report.add("write.refused");
    }
    report.print();
  }
}
