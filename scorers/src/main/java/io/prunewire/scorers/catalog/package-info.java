/**
 * The catalog of every scoring method with its formula, as printed by {@code prunewire criteria}.
 */
package io.prunewire.scorers.catalog;
