/** libp2p TLS. */
package weft.security.tls;
