package io.github.mqttsscale.hx711;

/**
 * One good conversion.
 *
 * @param raw            decoded 24-bit two's complement count
 * @param gain           the gain the chip converted it with
 * @param dataReadyNanos System.nanoTime() at which DOUT was seen low for it
 */
public record Hx711Sample(int raw, Hx711Gain gain, long dataReadyNanos) {
}
