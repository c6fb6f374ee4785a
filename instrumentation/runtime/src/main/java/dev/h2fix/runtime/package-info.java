/**
 * The part of h2fix that every class loader sees: it is appended to the bootstrap class path at
 * start-up. JDK types only.
 */
package dev.h2fix.runtime;
