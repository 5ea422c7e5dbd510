package dev.mailsec.dkm;

import java.nio.file.Path;

class FileKeyManagerTest extends KeyManagerContractTest {
  @Override
  Backend backend(Path tmp) {
    return new Backend.Files(tmp);
  }
}
