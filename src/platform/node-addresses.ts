/** This machine's network addresses (not loopback): how its peers' logs name it. */

import { networkInterfaces } from 'node:os';

export function nodeAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((address) => address !== undefined && !address.internal)
    .map((address) => address!.address);
}
