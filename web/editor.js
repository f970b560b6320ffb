/* placeholder: the Agent Editor lands here */
