package weft.multiformats;

import java.util.Arrays;

/**
 * Big-number base conversion for the "base-x" encodings (base58btc, base36): the input bytes are one big-endian
 * number written in the alphabet's digits, and each leading zero byte becomes one leading zero digit
 * ({@code '1'} in base58, {@code '0'} in base36) and back (the base-x scheme of the multibase spec's
 * {@code rfcs/BaseX.md}).
 */
final class BaseX {
    private final String name;
    private final char[] alphabet;
    private final int[] index = new int[128];

    BaseX(String name, String alphabet) {
        this.name = name;
        this.alphabet = alphabet.toCharArray();
        Arrays.fill(index, -1);
        for (int i = 0; i < this.alphabet.length; i++) {
            index[this.alphabet[i]] = i;
        }
    }

    /** Also maps upper-case letters to the digits of their lower-case form (for base36's {@code K}). */
    BaseX caseInsensitive() {
        for (char c = 'A'; c <= 'Z'; c++) {
            index[c] = index[Character.toLowerCase(c)];
        }
        return this;
    }

    String encode(byte[] input) {
        if (input.length == 0) {
            return "";
        }
        int base = alphabet.length;
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        byte[] number = Arrays.copyOf(input, input.length);
        // log(256) / log(36) < 1.55, so two digits per byte are always enough (base58 needs 1.37).
        char[] out = new char[input.length * 2];
        int outStart = out.length;
        for (int start = zeros; start < number.length; ) {
            out[--outStart] = alphabet[divmod(number, start, 256, base)];
            if (number[start] == 0) {
                start++;
            }
        }
        while (outStart < out.length && out[outStart] == alphabet[0]) {
            outStart++;
        }
        while (--zeros >= 0) {
            out[--outStart] = alphabet[0];
        }
        return new String(out, outStart, out.length - outStart);
    }

    byte[] decode(String input) {
        if (input.isEmpty()) {
            return new byte[0];
        }
        int base = alphabet.length;
        byte[] digits = new byte[input.length()];
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? index[c] : -1;
            if (digit < 0) {
                throw new MultiformatException(name + ": invalid character '" + c + "' at " + i);
            }
            digits[i] = (byte) digit;
        }
        int zeros = 0;
        while (zeros < digits.length && digits[zeros] == 0) {
            zeros++;
        }
        byte[] decoded = new byte[input.length()];
        int outStart = decoded.length;
        for (int start = zeros; start < digits.length; ) {
            decoded[--outStart] = divmod(digits, start, base, 256);
            if (digits[start] == 0) {
                start++;
            }
        }
        while (outStart < decoded.length && decoded[outStart] == 0) {
            outStart++;
        }
        return Arrays.copyOfRange(decoded, outStart - zeros, decoded.length);
    }

    /**
     * Divides the big-endian number in {@code number[start..]} (digits in {@code base}) by {@code divisor} in place;
     * returns the remainder.
     */
    private static byte divmod(byte[] number, int start, int base, int divisor) {
        int remainder = 0;
        for (int i = start; i < number.length; i++) {
            int temp = remainder * base + (number[i] & 0xFF);
            number[i] = (byte) (temp / divisor);
            remainder = temp % divisor;
        }
        return (byte) remainder;
    }
}
