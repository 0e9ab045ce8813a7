package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The deterministic {@code PublicKey}/{@code PrivateKey} protobuf rules of the peer-ids spec, "Keys". */
class KeyProtobufTest {
    private static final String KEY = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    private static KeyFormatException rejected(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThrows(KeyFormatException.class, () -> PrivateKey.unmarshal(bytes));
        return assertThrows(KeyFormatException.class, () -> PublicKey.unmarshal(bytes));
    }

    @Test
    void canonicalEncodingIsAccepted() {
        PublicKey key = PublicKey.unmarshal(HexFormat.of().parseHex("08011220" + KEY));
        assertEquals(KeyType.ED25519, key.type());
    }

    @Test
    void unknownKeyTypeIsRejectedWithItsNumber() {
        assertTrue(rejected("08041220" + KEY).getMessage().contains("unknown key type 4"));
    }

    @Test
    void missingTypeIsRejected() {
        assertTrue(rejected("1220" + KEY).getMessage().contains("no Type"));
    }

    @Test
    void missingDataIsRejected() {
        assertTrue(rejected("0801").getMessage().contains("no Data"));
    }

    @Test
    void extraFieldIsRejected() {
        assertTrue(rejected("08011220" + KEY + "1800").getMessage().contains("extra field 3"));
    }

    @Test
    void fieldsOutOfTagOrderAreRejected() {
        assertTrue(rejected("1220" + KEY + "0801").getMessage().contains("deterministic"));
    }

    @Test
    void nonMinimalVarintIsRejected() {
        rejected("08810012" + "20" + KEY);
        rejected("0801" + "12a000" + KEY);
    }

    @Test
    void repeatedFieldIsRejected() {
        rejected("08010801" + "1220" + KEY);
    }

    @Test
    void wrongWireTypesAreRejected() {
        rejected("0a011220" + KEY);
        rejected("08011020");
    }

    @Test
    void truncatedMessagesAreRejected() {
        rejected("");
        rejected("08");
        rejected("080112");
        rejected("08011221" + KEY);
    }

    @Test
    void dataOfTheWrongLengthForTheTypeIsRejected() {
        rejected("0801121f" + KEY.substring(2));
    }
}
